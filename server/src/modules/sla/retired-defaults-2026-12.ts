import type {
  Channel,
  Counting,
  Priority,
  TargetBasis,
  TargetUnit,
  TicketKind,
  TicketStatus,
} from "../../generated/prisma/enums.js";

/**
 * One target of a policy and what it rests on: LEGAL when a statute or regulation sets it (the source names
 * the article), INTERNAL when it is Pantau's own (the source says where the number comes from).
 */
interface TargetDefinition {
  amount: number;
  unit: TargetUnit;
  counting: Counting;
  basis: TargetBasis;
  source: string;
}

interface PolicyDefinition {
  code: string;
  name: string;
  matchKinds: TicketKind[];
  matchChannels: Channel[];
  matchCategories: string[];
  matchPriorities: Priority[];
  firstResponse: TargetDefinition;
  resolution: TargetDefinition;
  extensionAmount: number | null;
  pauseStatuses: TicketStatus[];
  atRiskRatio: number;
  /** A summary of both targets' bases, derived from them (the field third parties already read). */
  legalSource: string;
}

const CHAT: Channel[] = ["WHATSAPP", "LIVE_CHAT", "INSTAGRAM", "X", "FACEBOOK", "TIKTOK"];
const VOICE: Channel[] = ["PHONE", "WALK_IN"];
const WAITING: TicketStatus[] = ["WAITING_ON_CITIZEN"];

type Basis = Pick<TargetDefinition, "basis" | "source">;
const legal = (source: string): Basis => ({ basis: "LEGAL", source });
const internal = (source: string): Basis => ({ basis: "INTERNAL", source });

const minutes = (amount: number, basis: Basis): TargetDefinition => ({
  amount,
  unit: "MINUTES",
  counting: "BUSINESS_HOURS",
  ...basis,
});
const workingDays = (amount: number, basis: Basis): TargetDefinition => ({
  amount,
  unit: "WORKING_DAYS",
  counting: "BUSINESS_HOURS",
  ...basis,
});
const days = (amount: number, basis: Basis): TargetDefinition => ({
  amount,
  unit: "DAYS",
  counting: "ALL_HOURS",
  ...basis,
});

/** The policy-level summary: each target with its basis, in the order the clocks run. */
function summariseSources(firstResponse: Basis, resolution: Basis): string {
  const label = (target: Basis) => `${target.basis === "LEGAL" ? "hukum" : "internal"}: ${target.source}`;
  return `Respons pertama (${label(firstResponse)}). Penyelesaian (${label(resolution)}).`;
}

// Statute texts were not at hand when these defaults were written: an article named "tidak diverifikasi"
// is the one the sources Pantau had point to, not one read in the statute itself.
const KIP_RESOLUTION = legal(
  "UU 14/2008 Pasal 22 ayat (7): jawaban tertulis paling lambat 10 hari kerja sejak permintaan diterima; " +
    "Pasal 22 ayat (8): satu perpanjangan paling lambat 7 hari kerja dengan alasan tertulis",
);
const PERPRES_76_FROM_RECEIPT =
  "Perpres 76/2013 menetapkan penyelesaian pengaduan paling lama 60 hari sejak berkas dinyatakan lengkap " +
  "(pasal tidak diverifikasi: teks tidak tersedia); Pantau menghitungnya sejak pengaduan diterima, yang tidak " +
  "pernah lebih longgar dari batas itu";
const COMPLAINT_14_DAYS =
  "14 hari sejak diterima: UU 25/2009 (Pasal 50, tidak diverifikasi: teks tidak tersedia) mewajibkan " +
  "tanggapan tertulis dalam 14 hari yang menyatakan lengkap atau tidaknya berkas, bukan penyelesaiannya; " +
  "Pantau memakai angka itu sebagai target penyelesaian";
const FIRST_RESPONSE_PRACTICE = {
  chat: internal("praktik contact center: respons pertama 1 jam kerja di chat dan media sosial"),
  voice: internal("praktik contact center: respons pertama 15 menit kerja di telepon dan tatap muka"),
  written: internal("praktik contact center: respons pertama 1 hari kerja untuk saluran tertulis"),
};

const base = {
  matchKinds: [] as TicketKind[],
  matchChannels: [] as Channel[],
  matchCategories: [] as string[],
  matchPriorities: [] as Priority[],
  extensionAmount: null as number | null,
  pauseStatuses: WAITING,
  atRiskRatio: 0.75,
};

type DraftPolicy = Partial<typeof base> & Pick<PolicyDefinition, "code" | "name" | "firstResponse" | "resolution">;

const policy = (draft: DraftPolicy): PolicyDefinition => ({
  ...base,
  ...draft,
  legalSource: summariseSources(draft.firstResponse, draft.resolution),
});

/**
 * The defaults of 2026-12-07 (the first labelled set, without stage clocks), kept so that seeding can tell an
 * untouched version of them from an edited one and revise it to the current defaults.
 */
export const RETIRED_DEFAULTS_2026_12: PolicyDefinition[] = [
  policy({
    code: "INTEGRITY_REPORT",
    name: "Laporan pelanggaran dan whistleblowing: memerlukan pemeriksaan",
    matchKinds: ["VIOLATION_REPORT", "WHISTLEBLOWING"],
    firstResponse: workingDays(1, internal("praktik contact center: tanda terima laporan dalam 1 hari kerja")),
    resolution: days(
      60,
      internal(
        "tidak ada tenggat untuk laporan pelanggaran atau whistleblowing dalam aturan yang dirujuk Pantau; " +
          "60 hari sejak diterima mengikuti batas Perpres 76/2013 untuk pengaduan yang diperiksa",
      ),
    ),
  }),
  policy({
    code: "COMPLAINT_NEEDS_EXAMINATION",
    name: "Pengaduan integritas (pungli, calo, perilaku petugas): memerlukan pemeriksaan",
    matchKinds: ["COMPLAINT"],
    matchCategories: ["OFFICER_CONDUCT", "BROKERS"],
    firstResponse: workingDays(1, internal("praktik contact center: tanda terima pengaduan dalam 1 hari kerja")),
    // 60 calendar days, not the 60 working days of the tiered standards some units publish on SIPPN: the
    // longer count could run past the statutory limit.
    resolution: days(60, internal(PERPRES_76_FROM_RECEIPT)),
  }),
  policy({
    code: "KIP_REQUEST_CHAT",
    name: "Permintaan informasi lewat chat dan media sosial",
    matchKinds: ["INFORMATION_REQUEST"],
    matchChannels: CHAT,
    firstResponse: minutes(60, FIRST_RESPONSE_PRACTICE.chat),
    resolution: workingDays(10, KIP_RESOLUTION),
    extensionAmount: 7,
  }),
  policy({
    code: "KIP_REQUEST_VOICE",
    name: "Permintaan informasi lewat telepon dan tatap muka",
    matchKinds: ["INFORMATION_REQUEST"],
    matchChannels: VOICE,
    firstResponse: minutes(15, FIRST_RESPONSE_PRACTICE.voice),
    resolution: workingDays(10, KIP_RESOLUTION),
    extensionAmount: 7,
  }),
  policy({
    code: "KIP_REQUEST_WRITTEN",
    name: "Permintaan informasi tertulis (surel, formulir web, surat, media, SP4N-LAPOR!)",
    matchKinds: ["INFORMATION_REQUEST"],
    firstResponse: workingDays(1, FIRST_RESPONSE_PRACTICE.written),
    resolution: workingDays(10, KIP_RESOLUTION),
    extensionAmount: 7,
  }),
  policy({
    code: "LAPOR_VERIFICATION",
    name: "Pengaduan dari SP4N-LAPOR!",
    matchKinds: ["COMPLAINT"],
    matchChannels: ["SP4N_LAPOR"],
    firstResponse: workingDays(
      3,
      internal(
        "3 hari kerja adalah tahap verifikasi oleh pengelola SP4N-LAPOR! sebelum laporan didisposisikan ke " +
          "instansi (Permenpan RB 62/2018; pasal tidak diverifikasi), bukan tenggat instansi; dipakai sebagai " +
          "target respons pertama",
      ),
    ),
    resolution: days(60, internal(PERPRES_76_FROM_RECEIPT)),
  }),
  policy({
    code: "COMPLAINT_CHAT",
    name: "Pengaduan lewat chat dan media sosial",
    matchKinds: ["COMPLAINT"],
    matchChannels: CHAT,
    firstResponse: minutes(60, FIRST_RESPONSE_PRACTICE.chat),
    resolution: days(14, internal(COMPLAINT_14_DAYS)),
  }),
  policy({
    code: "COMPLAINT_VOICE",
    name: "Pengaduan lewat telepon dan tatap muka",
    matchKinds: ["COMPLAINT"],
    matchChannels: VOICE,
    firstResponse: minutes(15, FIRST_RESPONSE_PRACTICE.voice),
    resolution: days(14, internal(COMPLAINT_14_DAYS)),
  }),
  policy({
    code: "COMPLAINT_WRITTEN",
    name: "Pengaduan tertulis (surel, formulir web, surat, media)",
    matchKinds: ["COMPLAINT"],
    firstResponse: workingDays(1, FIRST_RESPONSE_PRACTICE.written),
    resolution: days(14, internal(COMPLAINT_14_DAYS)),
  }),
  policy({
    code: "APPRECIATION",
    name: "Apresiasi",
    matchKinds: ["APPRECIATION"],
    firstResponse: workingDays(1, FIRST_RESPONSE_PRACTICE.written),
    resolution: workingDays(
      3,
      internal("tidak ada tenggat dalam aturan: ucapan terima kasih dan penerusan kepada petugas dalam 3 hari kerja"),
    ),
  }),
  policy({
    code: "DEFAULT",
    name: "Standar umum (aspirasi dan lainnya)",
    firstResponse: workingDays(1, FIRST_RESPONSE_PRACTICE.written),
    resolution: workingDays(
      14,
      internal(
        "mengikuti tingkat 'pengaduan lainnya' (14 hari kerja) dari standar pelayanan berjenjang yang " +
          "dipublikasikan unit-unit di SIPPN; bukan ketentuan undang-undang",
      ),
    ),
  }),
];
