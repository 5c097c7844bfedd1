import type { Channel, TicketKind } from "../../generated/prisma/enums.js";

/** What citizens typically write to an immigration contact center, for the live simulator. */
export const SIMULATED_CONTACTS: readonly {
  kind: TicketKind;
  category: string;
  channels: Channel[];
  subject: string;
  description: string;
}[] = [
  {
    kind: "COMPLAINT",
    category: "PASSPORT_MPASPOR_QUOTA",
    channels: ["WHATSAPP", "INSTAGRAM", "X"],
    subject: "Kuota M-Paspor selalu habis",
    description: "Sudah seminggu saya mencoba mendaftar lewat aplikasi M-Paspor, tetapi kuota selalu habis.",
  },
  {
    kind: "INFORMATION_REQUEST",
    category: "PASSPORT",
    channels: ["PHONE", "WHATSAPP", "EMAIL"],
    subject: "Syarat perpanjangan paspor",
    description: "Mohon informasi dokumen apa saja yang perlu dibawa untuk perpanjangan paspor biasa.",
  },
  {
    kind: "INFORMATION_REQUEST",
    category: "STAY_PERMIT",
    channels: ["EMAIL", "WEB_FORM"],
    subject: "Perpanjangan ITAS",
    description: "Bagaimana prosedur perpanjangan ITAS untuk tenaga kerja asing yang kontraknya diperpanjang?",
  },
  {
    kind: "COMPLAINT",
    category: "OFFICER_CONDUCT",
    channels: ["WHATSAPP", "SP4N_LAPOR"],
    subject: "Dugaan pungli di loket pelayanan",
    description: "Saya diminta membayar biaya tambahan di luar PNBP agar paspor cepat selesai.",
  },
  {
    kind: "VIOLATION_REPORT",
    category: "FOREIGNER_REPORT",
    channels: ["PHONE", "WHATSAPP"],
    subject: "Laporan WNA diduga overstay",
    description: "Ada warga negara asing di lingkungan kami yang tinggal lebih dari setahun tanpa izin.",
  },
  {
    kind: "APPRECIATION",
    category: "OTHER",
    channels: ["INSTAGRAM", "WALK_IN"],
    subject: "Terima kasih atas layanan jemput bola",
    description: "Pelayanan paspor di mal kemarin sangat cepat dan petugasnya ramah.",
  },
];
