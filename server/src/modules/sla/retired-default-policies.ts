import type {
  Channel,
  Counting,
  Priority,
  TargetUnit,
  TicketKind,
  TicketStatus,
} from "../../generated/prisma/enums.js";

/** A policy as the first release shipped it: one target basis for the whole policy, in `legalSource`. */
export interface RetiredPolicyDefinition {
  code: string;
  name: string;
  matchKinds: TicketKind[];
  matchChannels: Channel[];
  matchCategories: string[];
  matchPriorities: Priority[];
  firstResponse: { amount: number; unit: TargetUnit; counting: Counting };
  resolution: { amount: number; unit: TargetUnit; counting: Counting };
  extensionAmount: number | null;
  pauseStatuses: TicketStatus[];
  atRiskRatio: number;
  legalSource: string;
}

const CHAT: Channel[] = ["WHATSAPP", "LIVE_CHAT", "INSTAGRAM", "X", "FACEBOOK", "TIKTOK"];
const VOICE: Channel[] = ["PHONE", "WALK_IN"];
const WAITING: TicketStatus[] = ["WAITING_ON_CITIZEN"];

const minutes = (amount: number) => ({ amount, unit: "MINUTES" as const, counting: "BUSINESS_HOURS" as const });
const workingDays = (amount: number) => ({
  amount,
  unit: "WORKING_DAYS" as const,
  counting: "BUSINESS_HOURS" as const,
});
const days = (amount: number) => ({ amount, unit: "DAYS" as const, counting: "ALL_HOURS" as const });

const base = {
  matchKinds: [] as TicketKind[],
  matchChannels: [] as Channel[],
  matchCategories: [] as string[],
  matchPriorities: [] as Priority[],
  extensionAmount: null,
  pauseStatuses: WAITING,
  atRiskRatio: 0.75,
};

/**
 * The defaults as first shipped (version 1 of each code, positions 10, 20, …), kept so that seeding can
 * tell an untouched shipped version from one the directorate edited: only an untouched one is revised to
 * the current defaults (`DEFAULT_POLICIES`). Their faults are why they were retired: an information request
 * from SP4N-LAPOR! matched LAPOR_VERIFICATION on its channel and lost the KIP clock; whistleblowing and
 * violation reports outside two categories fell to DEFAULT; COMPLAINT_NEEDS_EXAMINATION counted 60
 * calendar days while citing a 60-working-day tier; DEFAULT gave appreciation messages a complaint tier;
 * and no target said whether it was legal or internal.
 */
export const RETIRED_DEFAULTS_2026_11: RetiredPolicyDefinition[] = [
  {
    ...base,
    code: "LAPOR_VERIFICATION",
    name: "Laporan SP4N-LAPOR!: verifikasi 3 hari kerja, penyelesaian 60 hari",
    matchChannels: ["SP4N_LAPOR"],
    firstResponse: workingDays(3),
    resolution: days(60),
    legalSource:
      "SP4N-LAPOR! (Permenpan RB 62/2018): verifikasi paling lama 3 hari kerja; Perpres 76/2013: penyelesaian pengaduan paling lama 60 hari sejak berkas lengkap",
  },
  {
    ...base,
    code: "COMPLAINT_NEEDS_EXAMINATION",
    name: "Pengaduan integritas (pungli, calo, perilaku petugas): memerlukan pemeriksaan",
    matchKinds: ["COMPLAINT", "VIOLATION_REPORT", "WHISTLEBLOWING"],
    matchCategories: ["OFFICER_CONDUCT", "BROKERS"],
    firstResponse: workingDays(1),
    resolution: days(60),
    legalSource:
      "Perpres 76/2013 (penyelesaian paling lama 60 hari; kerahasiaan pelapor); standar berjenjang SIPPN: pengaduan yang memerlukan pemeriksaan 60 hari",
  },
  {
    ...base,
    code: "KIP_REQUEST_CHAT",
    name: "Permintaan informasi lewat chat dan media sosial",
    matchKinds: ["INFORMATION_REQUEST"],
    matchChannels: CHAT,
    firstResponse: minutes(60),
    resolution: workingDays(10),
    extensionAmount: 7,
    legalSource:
      "UU 14/2008 Pasal 22 ayat (7)-(8): jawaban tertulis paling lambat 10 hari kerja, dapat diperpanjang paling lambat 7 hari kerja dengan alasan tertulis; respons pertama 1 jam kerja (praktik contact center)",
  },
  {
    ...base,
    code: "KIP_REQUEST_VOICE",
    name: "Permintaan informasi lewat telepon dan tatap muka",
    matchKinds: ["INFORMATION_REQUEST"],
    matchChannels: VOICE,
    firstResponse: minutes(15),
    resolution: workingDays(10),
    extensionAmount: 7,
    legalSource:
      "UU 14/2008 Pasal 22 ayat (7)-(8): 10 hari kerja + perpanjangan 7 hari kerja; respons pertama 15 menit kerja (praktik contact center)",
  },
  {
    ...base,
    code: "KIP_REQUEST_WRITTEN",
    name: "Permintaan informasi tertulis (surel, formulir web, surat, media)",
    matchKinds: ["INFORMATION_REQUEST"],
    firstResponse: workingDays(1),
    resolution: workingDays(10),
    extensionAmount: 7,
    legalSource:
      "UU 14/2008 Pasal 22 ayat (7)-(8): 10 hari kerja + perpanjangan 7 hari kerja; respons pertama 1 hari kerja (praktik contact center)",
  },
  {
    ...base,
    code: "COMPLAINT_CHAT",
    name: "Pengaduan lewat chat dan media sosial",
    matchKinds: ["COMPLAINT"],
    matchChannels: CHAT,
    firstResponse: minutes(60),
    resolution: days(14),
    legalSource:
      "UU 25/2009: pengaduan wajib dijawab paling lambat 14 hari; respons pertama 1 jam kerja (praktik contact center)",
  },
  {
    ...base,
    code: "COMPLAINT_VOICE",
    name: "Pengaduan lewat telepon dan tatap muka",
    matchKinds: ["COMPLAINT"],
    matchChannels: VOICE,
    firstResponse: minutes(15),
    resolution: days(14),
    legalSource:
      "UU 25/2009: pengaduan wajib dijawab paling lambat 14 hari; respons pertama 15 menit kerja (praktik contact center)",
  },
  {
    ...base,
    code: "COMPLAINT_WRITTEN",
    name: "Pengaduan tertulis (surel, formulir web, surat, media)",
    matchKinds: ["COMPLAINT"],
    firstResponse: workingDays(1),
    resolution: days(14),
    legalSource:
      "UU 25/2009: pengaduan wajib dijawab paling lambat 14 hari; respons pertama 1 hari kerja (praktik contact center)",
  },
  {
    ...base,
    code: "DEFAULT",
    name: "Standar umum (aspirasi, apresiasi, laporan lainnya)",
    firstResponse: workingDays(1),
    resolution: workingDays(14),
    legalSource:
      "Standar pelayanan berjenjang SIPPN: pengaduan/laporan lainnya 14 hari kerja; respons pertama 1 hari kerja",
  },
];
