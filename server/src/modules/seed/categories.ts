/** One category of the configurable tree; `parentCode` is resolved to an id at insert time. */
export interface CategorySeed {
  code: string;
  name: string;
  nameEn: string;
  parentCode: string | null;
  position: number;
}

type Node = { code: string; name: string; nameEn: string; children?: Node[] };

// The topics of SE IMI-003.HH.01.04/2025 and of the complaints the offices report in the press.
const TREE: Node[] = [
  {
    code: "PASSPORT",
    name: "Paspor",
    nameEn: "Passport",
    children: [
      { code: "PASSPORT_MPASPOR_QUOTA", name: "Kuota dan antrean M-Paspor", nameEn: "M-Paspor quota and queue" },
      {
        code: "PASSPORT_ISSUANCE",
        name: "Permohonan dan penerbitan paspor",
        nameEn: "Passport application and issuance",
      },
      { code: "PASSPORT_EPASSPORT", name: "Paspor elektronik", nameEn: "E-passport" },
      { code: "PASSPORT_LOST_DAMAGED", name: "Paspor hilang atau rusak", nameEn: "Lost or damaged passport" },
      {
        code: "PASSPORT_NONPROCEDURAL_MIGRANT",
        name: "Dugaan pekerja migran non-prosedural",
        nameEn: "Suspected non-procedural migrant worker",
      },
    ],
  },
  {
    code: "VISA",
    name: "Visa",
    nameEn: "Visa",
    children: [
      { code: "VISA_EVISA", name: "e-Visa", nameEn: "e-Visa" },
      { code: "VISA_ON_ARRIVAL", name: "Visa kunjungan saat kedatangan", nameEn: "Visa on arrival" },
    ],
  },
  {
    code: "STAY_PERMIT",
    name: "Izin tinggal",
    nameEn: "Stay permits",
    children: [
      { code: "STAY_PERMIT_ITAS_ITAP", name: "ITAS dan ITAP", nameEn: "ITAS and ITAP" },
      {
        code: "STAY_PERMIT_BRIDGING",
        name: "Bridging dan alih status izin tinggal",
        nameEn: "Bridging and change of status",
      },
    ],
  },
  { code: "FOREIGN_WORKERS", name: "Pengawasan tenaga kerja asing", nameEn: "Foreign workers oversight" },
  { code: "FOREIGNER_REPORT", name: "Laporan keberadaan orang asing", nameEn: "Reports about foreigners" },
  { code: "DETENTION_DEPORTATION", name: "Detensi dan deportasi", nameEn: "Detention and deportation" },
  { code: "OFFICER_CONDUCT", name: "Perilaku petugas dan pungutan liar", nameEn: "Officer conduct and extortion" },
  { code: "BROKERS", name: "Calo", nameEn: "Brokers (calo)" },
  { code: "FEES", name: "Biaya dan PNBP", nameEn: "Fees (PNBP)" },
  { code: "ONLINE_SERVICES", name: "Layanan daring dan aplikasi", nameEn: "Online services and apps" },
  { code: "FACILITIES", name: "Sarana dan prasarana", nameEn: "Facilities" },
  { code: "OTHER", name: "Lainnya", nameEn: "Other" },
];

function flatten(nodes: Node[], parentCode: string | null): CategorySeed[] {
  return nodes.flatMap((node, position) => [
    { code: node.code, name: node.name, nameEn: node.nameEn, parentCode, position },
    ...flatten(node.children ?? [], node.code),
  ]);
}

/** The default category tree, parents before children. */
export const CATEGORIES: readonly CategorySeed[] = flatten(TREE, null);
