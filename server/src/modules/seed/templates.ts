import type { TicketKind } from "../../generated/prisma/enums.js";

/**
 * Indonesian texts for demo tickets. Placeholders: {kantor} the unit's name, {n} a small number,
 * {hari} a weekday, {negara} a country, {nomor} the ticket number.
 */
export interface TicketTemplate {
  category: string;
  kind: TicketKind;
  subject: string;
  description: string;
}

type Row = [kind: TicketKind, subject: string, description: string];

const BY_CATEGORY: Record<string, Row[]> = {
  PASSPORT_MPASPOR_QUOTA: [
    [
      "COMPLAINT",
      "Kuota M-Paspor selalu habis",
      "Sudah {n} hari saya mencoba mendaftar di aplikasi M-Paspor untuk {kantor}, tetapi kuota selalu habis sejak pagi. Mohon informasi kapan kuota dibuka dan apakah ada layanan tanpa antrean daring.",
    ],
    [
      "INFORMATION_REQUEST",
      "Jam pembukaan kuota M-Paspor",
      "Mohon informasi pukul berapa kuota permohonan paspor di aplikasi M-Paspor dibuka untuk {kantor}. Saya perlu paspor untuk keberangkatan umrah bulan depan.",
    ],
    [
      "COMPLAINT",
      "Antrean panjang meski sudah terjadwal di M-Paspor",
      "Saya sudah mendapat jadwal pukul 09.00 melalui M-Paspor, tetapi baru dilayani menjelang pukul 13.00. Mohon perbaikan pengaturan antrean di {kantor}.",
    ],
    [
      "INFORMATION_REQUEST",
      "Layanan percepatan paspor untuk keperluan mendesak",
      "Orang tua saya dirawat di rumah sakit di {negara} dan saya harus berangkat minggu ini, sementara kuota M-Paspor penuh. Apakah ada layanan percepatan atau prioritas?",
    ],
    [
      "ASPIRATION",
      "Usulan layanan paspor jemput bola di kecamatan",
      "Kami warga di wilayah kerja {kantor} mengusulkan layanan paspor jemput bola di kecamatan kami karena kuota M-Paspor selalu penuh dan jarak ke kantor jauh.",
    ],
  ],
  PASSPORT_ISSUANCE: [
    [
      "INFORMATION_REQUEST",
      "Persyaratan pembuatan paspor anak",
      "Mohon informasi dokumen apa saja yang perlu dibawa untuk pembuatan paspor anak usia {n} tahun. Apakah kedua orang tua wajib hadir saat wawancara?",
    ],
    [
      "INFORMATION_REQUEST",
      "Status permohonan paspor belum berubah",
      "Saya sudah wawancara dan foto di {kantor} {n} hari kerja yang lalu, tetapi status di aplikasi belum berubah. Mohon dicek.",
    ],
    [
      "COMPLAINT",
      "Paspor belum terbit melewati janji layanan",
      "Dijanjikan paspor selesai dalam empat hari kerja, namun sudah {n} hari belum bisa diambil di {kantor}. Mohon kejelasan.",
    ],
    [
      "INFORMATION_REQUEST",
      "Penggantian paspor yang habis masa berlaku",
      "Paspor saya habis masa berlakunya bulan lalu. Apakah penggantian bisa dilakukan di {kantor} walaupun KTP saya dari provinsi lain?",
    ],
    [
      "APPRECIATION",
      "Terima kasih atas layanan paspor jemput bola",
      "Terima kasih kepada petugas {kantor} yang melayani pembuatan paspor di pesantren kami dengan ramah dan cepat.",
    ],
    [
      "APPRECIATION",
      "Petugas loket ramah dan membantu",
      "Saya ingin menyampaikan apresiasi kepada petugas loket {kantor} yang sabar membantu orang tua saya yang sudah lanjut usia mengurus paspor.",
    ],
  ],
  PASSPORT_EPASSPORT: [
    [
      "INFORMATION_REQUEST",
      "Perbedaan paspor elektronik dan paspor biasa",
      "Mohon penjelasan perbedaan biaya dan masa berlaku paspor elektronik dengan paspor biasa, serta apakah {kantor} sudah melayani paspor elektronik.",
    ],
    [
      "INFORMATION_REQUEST",
      "Mengganti paspor biasa ke paspor elektronik",
      "Paspor saya masih berlaku {n} tahun lagi. Apakah bisa diganti ke paspor elektronik sekarang dan berapa biayanya?",
    ],
    [
      "COMPLAINT",
      "Chip paspor elektronik tidak terbaca di autogate",
      "Saat keberangkatan, paspor elektronik saya tidak terbaca di autogate sehingga harus antre di konter manual. Mohon dicek apakah chip rusak.",
    ],
  ],
  PASSPORT_LOST_DAMAGED: [
    [
      "INFORMATION_REQUEST",
      "Prosedur penggantian paspor hilang",
      "Paspor saya hilang saat pindah rumah. Apa saja persyaratan penggantian paspor hilang dan berapa dendanya?",
    ],
    [
      "INFORMATION_REQUEST",
      "Paspor rusak terkena banjir",
      "Paspor saya rusak terkena air saat banjir minggu lalu. Apakah bisa diganti dan apakah ada biaya tambahan?",
    ],
    [
      "COMPLAINT",
      "Pemeriksaan paspor hilang terlalu lama",
      "Sudah {n} hari saya menunggu hasil pemeriksaan paspor hilang di {kantor} tanpa kabar. Mohon kejelasan jadwalnya.",
    ],
  ],
  PASSPORT_NONPROCEDURAL_MIGRANT: [
    [
      "VIOLATION_REPORT",
      "Dugaan pemberangkatan pekerja migran non-prosedural",
      "Ada warga desa kami yang dijanjikan bekerja di {negara} oleh sponsor dan diminta membuat paspor dengan alasan wisata. Mohon ditindaklanjuti sebelum mereka berangkat.",
    ],
    [
      "INFORMATION_REQUEST",
      "Permohonan paspor ditunda karena diduga PMI non-prosedural",
      "Adik saya ditunda permohonan paspornya karena diduga akan bekerja secara non-prosedural. Apa langkah yang harus ditempuh agar bisa berangkat sesuai prosedur?",
    ],
  ],
  VISA_EVISA: [
    [
      "INFORMATION_REQUEST",
      "Cara mengajukan e-Visa untuk kerabat",
      "Kerabat saya warga negara {negara} ingin berkunjung. Bagaimana cara mengajukan e-Visa kunjungan dan berapa lama prosesnya?",
    ],
    [
      "COMPLAINT",
      "Pembayaran e-Visa berhasil tetapi visa belum terbit",
      "Pembayaran e-Visa sudah berhasil {n} hari lalu, namun status permohonan masih menunggu. Mohon dibantu.",
    ],
    [
      "INFORMATION_REQUEST",
      "Visa kunjungan untuk rapat bisnis",
      "Mitra kami dari {negara} akan menghadiri rapat selama {n} hari. Jenis visa apa yang tepat dan apakah perlu penjamin?",
    ],
  ],
  VISA_ON_ARRIVAL: [
    [
      "INFORMATION_REQUEST",
      "Negara yang mendapat Visa on Arrival",
      "Apakah warga negara {negara} dapat menggunakan Visa on Arrival dan berapa lama masa berlakunya? Apakah bisa diperpanjang?",
    ],
    [
      "COMPLAINT",
      "Antrean Visa on Arrival di bandara sangat lama",
      "Rombongan tamu kami menunggu lebih dari dua jam di loket Visa on Arrival. Mohon penambahan petugas pada jam kedatangan ramai.",
    ],
  ],
  STAY_PERMIT_ITAS_ITAP: [
    [
      "INFORMATION_REQUEST",
      "Persyaratan perpanjangan ITAS",
      "ITAS suami saya (warga negara {negara}) habis dalam {n} minggu. Mohon informasi persyaratan perpanjangan dan apakah harus datang ke {kantor}.",
    ],
    [
      "INFORMATION_REQUEST",
      "Alih status ITAS ke ITAP",
      "Saya sudah memegang ITAS penyatuan keluarga selama beberapa tahun. Bagaimana prosedur alih status ke ITAP?",
    ],
    [
      "COMPLAINT",
      "Perpanjangan ITAS tidak kunjung selesai",
      "Berkas perpanjangan ITAS sudah lengkap sejak {n} hari lalu di {kantor}, tetapi belum ada jadwal foto dan wawancara.",
    ],
  ],
  STAY_PERMIT_BRIDGING: [
    [
      "INFORMATION_REQUEST",
      "Izin tinggal habis saat alih status diproses",
      "Izin tinggal saya habis sementara permohonan alih status masih diproses. Apakah ada izin tinggal sementara agar tidak dianggap overstay?",
    ],
    [
      "INFORMATION_REQUEST",
      "Alih status dari visa kunjungan",
      "Saya warga negara {negara} yang baru menikah dengan WNI. Apakah visa kunjungan saya dapat dialihstatuskan tanpa keluar dari Indonesia?",
    ],
  ],
  FOREIGN_WORKERS: [
    [
      "VIOLATION_REPORT",
      "Dugaan TKA bekerja tanpa izin",
      "Di lokasi proyek dekat rumah kami terdapat beberapa pekerja asing yang diduga bekerja sebagai buruh kasar. Mohon dilakukan pengawasan.",
    ],
    [
      "VIOLATION_REPORT",
      "TKA diduga memakai visa kunjungan untuk bekerja",
      "Sekitar {n} orang warga negara {negara} bekerja di pabrik di daerah kami, padahal kabarnya hanya memegang visa kunjungan.",
    ],
    [
      "INFORMATION_REQUEST",
      "Kewajiban pelaporan tenaga kerja asing",
      "Perusahaan kami akan mempekerjakan {n} tenaga ahli dari {negara}. Apa kewajiban pelaporan ke kantor imigrasi setempat?",
    ],
  ],
  FOREIGNER_REPORT: [
    [
      "VIOLATION_REPORT",
      "Laporan WNA diduga overstay",
      "Ada WNA asal {negara} yang tinggal di lingkungan kami sejak lama dan diduga izin tinggalnya sudah habis. Mohon diperiksa.",
    ],
    [
      "VIOLATION_REPORT",
      "WNA meresahkan warga sekitar penginapan",
      "Seorang WNA sering membuat keributan di penginapan dekat rumah kami pada malam hari dan menolak menunjukkan identitas.",
    ],
    [
      "INFORMATION_REQUEST",
      "Cara melaporkan tamu WNA melalui APOA",
      "Saya pemilik homestay. Bagaimana cara melaporkan tamu WNA melalui Aplikasi Pelaporan Orang Asing (APOA)?",
    ],
  ],
  DETENTION_DEPORTATION: [
    [
      "INFORMATION_REQUEST",
      "Jadwal kunjungan keluarga di rumah detensi",
      "Saya ingin mengunjungi kerabat yang ditempatkan di rumah detensi. Kapan jadwal kunjungan dan apa persyaratannya?",
    ],
    [
      "INFORMATION_REQUEST",
      "Proses deportasi warga negara asing",
      "Suami saya warga negara {negara} sedang menunggu deportasi. Berapa lama prosesnya dan siapa yang menanggung biaya tiket?",
    ],
    [
      "COMPLAINT",
      "Akses layanan kesehatan bagi deteni",
      "Keluarga kami yang menjadi deteni mengeluhkan sulitnya akses layanan kesehatan di rumah detensi. Mohon perhatian.",
    ],
  ],
  OFFICER_CONDUCT: [
    [
      "COMPLAINT",
      "Petugas loket bersikap tidak ramah",
      "Petugas di loket pengambilan paspor {kantor} membentak ibu saya pada hari {hari}. Mohon pembinaan bagi petugas tersebut.",
    ],
    [
      "WHISTLEBLOWING",
      "Dugaan pungli oleh oknum petugas",
      "Saya diminta membayar uang tambahan agar paspor cepat selesai oleh seseorang yang mengaku petugas {kantor}. Mohon identitas saya dirahasiakan.",
    ],
    [
      "COMPLAINT",
      "Diminta biaya di luar tarif resmi",
      "Saat wawancara paspor pada hari {hari}, saya diminta biaya tambahan tanpa kuitansi. Apakah itu resmi?",
    ],
  ],
  BROKERS: [
    [
      "COMPLAINT",
      "Dugaan pungli oleh calo di loket",
      "Di area parkir {kantor} ada orang yang menawarkan jasa pengurusan paspor cepat dengan biaya jutaan rupiah dan mengaku kenal petugas.",
    ],
    [
      "VIOLATION_REPORT",
      "Calo menjual slot antrean M-Paspor",
      "Ada akun media sosial yang menjual slot antrean M-Paspor untuk {kantor} seharga ratusan ribu rupiah. Mohon ditindak.",
    ],
    [
      "INFORMATION_REQUEST",
      "Apakah ada jalur cepat melalui agen",
      "Seorang agen perjalanan menawarkan jalur cepat pembuatan paspor. Apakah benar ada jalur resmi seperti itu?",
    ],
  ],
  FEES: [
    [
      "INFORMATION_REQUEST",
      "Tarif PNBP paspor terbaru",
      "Berapa tarif PNBP paspor biasa dan paspor elektronik dengan masa berlaku 10 tahun? Apakah ada biaya lain?",
    ],
    [
      "COMPLAINT",
      "Salah memilih jenis paspor saat membayar",
      "Saya salah memilih jenis paspor saat pembayaran kode billing. Bagaimana cara pengembalian kelebihan PNBP?",
    ],
    [
      "INFORMATION_REQUEST",
      "Pengembalian PNBP karena permohonan dibatalkan",
      "Permohonan paspor saya batal karena jadwal keberangkatan berubah. Apakah PNBP yang sudah dibayar bisa dikembalikan?",
    ],
  ],
  ONLINE_SERVICES: [
    [
      "COMPLAINT",
      "Aplikasi M-Paspor tidak bisa login",
      "Sejak hari {hari} saya tidak bisa masuk ke aplikasi M-Paspor, selalu muncul pesan galat. Sudah mencoba instal ulang.",
    ],
    [
      "COMPLAINT",
      "Kode OTP tidak terkirim",
      "Kode OTP untuk pendaftaran akun tidak pernah masuk ke surel maupun SMS walaupun sudah {n} kali meminta ulang.",
    ],
    [
      "INFORMATION_REQUEST",
      "Cara mengubah jadwal kedatangan di M-Paspor",
      "Saya berhalangan hadir pada jadwal yang sudah dipilih. Bagaimana cara mengubah jadwal tanpa kehilangan pembayaran?",
    ],
    [
      "ASPIRATION",
      "Usulan notifikasi status paspor",
      "Mohon aplikasi M-Paspor menampilkan notifikasi ketika paspor sudah bisa diambil, agar pemohon tidak perlu datang berkali-kali.",
    ],
  ],
  FACILITIES: [
    [
      "COMPLAINT",
      "Ruang tunggu panas dan kursi kurang",
      "Ruang tunggu {kantor} sangat penuh, pendingin ruangan mati dan banyak pemohon harus berdiri.",
    ],
    [
      "ASPIRATION",
      "Usulan fasilitas ramah disabilitas",
      "Mohon disediakan jalur landai dan loket prioritas bagi penyandang disabilitas di {kantor}.",
    ],
    [
      "COMPLAINT",
      "Lahan parkir kantor imigrasi penuh",
      "Lahan parkir {kantor} selalu penuh sejak pagi sehingga pemohon parkir di bahu jalan dan menimbulkan kemacetan.",
    ],
  ],
  OTHER: [
    [
      "APPRECIATION",
      "Apresiasi pelayanan contact center",
      "Terima kasih admin WhatsApp {kantor} yang membalas pertanyaan saya dengan cepat dan jelas.",
    ],
    [
      "INFORMATION_REQUEST",
      "Alamat dan jam layanan kantor",
      "Mohon informasi alamat dan jam layanan {kantor}, apakah buka pada hari Sabtu?",
    ],
    [
      "ASPIRATION",
      "Permohonan sosialisasi keimigrasian di sekolah",
      "Kami mengundang petugas {kantor} untuk memberikan sosialisasi keimigrasian dan bahaya TPPO kepada siswa kami.",
    ],
    [
      "INFORMATION_REQUEST",
      "Permintaan data untuk peliputan",
      "Kami dari media lokal ingin meminta data jumlah permohonan paspor di {kantor} bulan ini untuk bahan peliputan.",
    ],
  ],
};

/** Matters for other agencies: they are answered with a referral and rejected as "bukan wewenang". */
export const OUT_OF_SCOPE: readonly { subject: string; description: string; reason: string }[] = [
  {
    subject: "Perekaman KTP elektronik belum selesai",
    description: "KTP elektronik saya belum jadi sejak {n} bulan lalu. Mohon dibantu.",
    reason: "Bukan wewenang Imigrasi: layanan KTP elektronik ditangani Dinas Kependudukan dan Pencatatan Sipil.",
  },
  {
    subject: "Penipuan belanja daring",
    description: "Saya tertipu saat membeli barang secara daring dan penjual tidak bisa dihubungi.",
    reason: "Bukan wewenang Imigrasi: pelapor diarahkan ke kepolisian.",
  },
  {
    subject: "Gaji pekerja migran tidak dibayar",
    description: "Kakak saya bekerja di {negara} dan gajinya tidak dibayar selama {n} bulan.",
    reason: "Bukan wewenang Imigrasi: diteruskan ke kementerian yang menangani pelindungan pekerja migran.",
  },
  {
    subject: "Bea masuk barang kiriman dari luar negeri",
    description: "Paket kiriman saudara dari {negara} tertahan dan dikenakan bea masuk tinggi.",
    reason: "Bukan wewenang Imigrasi: kepabeanan ditangani Direktorat Jenderal Bea dan Cukai.",
  },
];

export const TEMPLATES: readonly TicketTemplate[] = Object.entries(BY_CATEGORY).flatMap(([category, rows]) =>
  rows.map(([kind, subject, description]) => ({ category, kind, subject, description })),
);

// Passport matters dominate every office's inbox; the rest is shared among the other topics.
export const CATEGORY_WEIGHTS: Record<string, number> = {
  PASSPORT_MPASPOR_QUOTA: 20,
  PASSPORT_ISSUANCE: 15,
  PASSPORT_EPASSPORT: 6,
  PASSPORT_LOST_DAMAGED: 6,
  PASSPORT_NONPROCEDURAL_MIGRANT: 2,
  VISA_EVISA: 4,
  VISA_ON_ARRIVAL: 2,
  STAY_PERMIT_ITAS_ITAP: 6,
  STAY_PERMIT_BRIDGING: 2,
  FOREIGN_WORKERS: 3,
  FOREIGNER_REPORT: 4,
  DETENTION_DEPORTATION: 1,
  OFFICER_CONDUCT: 3,
  BROKERS: 3,
  FEES: 5,
  ONLINE_SERVICES: 8,
  FACILITIES: 3,
  OTHER: 4,
};

export const DETENTION_CATEGORY_WEIGHTS: Record<string, number> = {
  DETENTION_DEPORTATION: 50,
  FOREIGNER_REPORT: 12,
  OFFICER_CONDUCT: 6,
  FACILITIES: 6,
  OTHER: 8,
};

export const PUBLIC_REPLIES: Record<TicketKind, readonly string[]> = {
  INFORMATION_REQUEST: [
    "Terima kasih telah menghubungi {kantor}. Informasi yang Anda minta kami sampaikan sebagai berikut; rincian persyaratan juga tersedia di laman resmi imigrasi.go.id. Nomor tiket Anda {nomor}.",
    "Selamat siang. Terkait pertanyaan Anda, silakan membawa dokumen asli beserta fotokopinya saat datang ke kantor. Apabila masih ada pertanyaan, silakan balas pesan ini dengan menyebut nomor {nomor}.",
  ],
  COMPLAINT: [
    "Mohon maaf atas ketidaknyamanan yang Anda alami. Pengaduan Anda dengan nomor {nomor} sudah kami terima dan sedang ditindaklanjuti oleh seksi terkait.",
    "Terima kasih atas laporan Anda. Kami sedang melakukan pengecekan dan akan memberi kabar paling lambat dalam beberapa hari kerja. Nomor pengaduan: {nomor}.",
  ],
  ASPIRATION: [
    "Terima kasih atas aspirasi Anda. Usulan ini akan kami sampaikan kepada pimpinan {kantor} sebagai bahan perbaikan layanan.",
  ],
  APPRECIATION: [
    "Terima kasih atas apresiasi Anda. Kami akan terus berupaya memberikan pelayanan terbaik. Salam dari {kantor}.",
  ],
  VIOLATION_REPORT: [
    "Terima kasih atas laporan Anda. Informasi ini sudah kami teruskan kepada Seksi Intelijen dan Penindakan Keimigrasian untuk diverifikasi. Nomor laporan: {nomor}.",
  ],
  WHISTLEBLOWING: [
    "Laporan Anda sudah kami terima dan identitas pelapor dijamin kerahasiaannya. Laporan ini diteruskan kepada unit kepatuhan internal. Nomor laporan: {nomor}.",
  ],
};

export const RESOLUTION_REPLIES: readonly string[] = [
  "Pengaduan Anda telah kami tindak lanjuti dan permasalahannya sudah diselesaikan. Apabila masih ada kendala, silakan balas pesan ini.",
  "Permohonan Anda sudah selesai diproses. Terima kasih atas kesabaran Anda menunggu.",
  "Hasil penelusuran kami sudah ditindaklanjuti oleh seksi terkait. Mohon konfirmasi apabila permasalahan Anda sudah teratasi.",
];

export const DOCUMENT_REQUESTS: readonly string[] = [
  "Untuk menindaklanjuti, mohon kirimkan foto halaman identitas paspor dan nomor permohonan Anda.",
  "Mohon lengkapi laporan Anda dengan waktu kejadian dan bukti pendukung agar dapat kami verifikasi.",
];

export const INTERNAL_NOTES: readonly string[] = [
  "Sudah dikoordinasikan dengan Seksi Lalu Lintas Keimigrasian.",
  "Perlu klarifikasi ke petugas loket shift pagi.",
  "Diteruskan ke Seksi Intelijen dan Penindakan Keimigrasian untuk verifikasi lapangan.",
  "Usulan tambahan kuota hari Sabtu sudah diajukan ke kepala kantor.",
  "Pelapor meminta identitasnya dirahasiakan.",
  "Berkas pemohon sudah dicek di SIMKIM, status menunggu verifikasi.",
];

export const REFERRAL_REPLY =
  "Terima kasih telah menghubungi kami. Mohon maaf, permasalahan Anda berada di luar kewenangan Imigrasi; silakan menghubungi instansi yang berwenang. Nomor tiket: {nomor}.";

export const REOPEN_REASONS: readonly string[] = [
  "Pelapor menyatakan masalah belum selesai.",
  "Paspor pelapor belum juga dapat diambil.",
  "Pelapor menyampaikan keberatan atas jawaban sebelumnya.",
];

/** Why an office passes a ticket to another one; {tujuan} is the receiving unit's name. */
export const DOMICILE_REASONS: readonly string[] = [
  "Domisili pelapor di wilayah kerja {tujuan}.",
  "Pelapor berdomisili di wilayah kerja {tujuan}; permohonannya diproses di kantor tersebut.",
  "Permohonan pelapor tercatat pada {tujuan}, bukan pada kantor ini.",
];

export const LOCATION_REASONS: readonly string[] = [
  "Lokasi yang dilaporkan berada di wilayah kerja {tujuan}.",
  "Orang asing yang dilaporkan berada di wilayah kerja {tujuan}; mohon verifikasi lapangan.",
];

export const DISPOSITION_REASONS: readonly string[] = [
  "Didisposisikan ke {tujuan} sesuai wilayah kerja untuk ditindaklanjuti.",
  "Layanan yang dimaksud diberikan oleh {tujuan}; mohon ditindaklanjuti.",
];

/** Integrity complaints leave the office they concern and go to its Kantor Wilayah. */
export const ESCALATION_REASONS: Record<string, readonly string[]> = {
  OFFICER_CONDUCT: [
    "Dieskalasi ke Kantor Wilayah: dugaan pelanggaran integritas petugas.",
    "Dieskalasi ke Kantor Wilayah: dugaan pungutan di luar tarif resmi oleh petugas perlu diperiksa di luar kantor yang dilaporkan.",
  ],
  BROKERS: [
    "Dieskalasi ke Kantor Wilayah: dugaan keterlibatan petugas dalam praktik percaloan.",
    "Dieskalasi ke Kantor Wilayah: laporan percaloan memerlukan pengawasan lintas kantor.",
  ],
};

export const WEEKDAYS = ["Minggu", "Senin", "Selasa", "Rabu", "Kamis", "Jumat", "Sabtu"] as const;

export const COUNTRIES = [
  "Malaysia",
  "Singapura",
  "Australia",
  "Tiongkok",
  "Jepang",
  "Korea Selatan",
  "Arab Saudi",
  "India",
  "Belanda",
  "Amerika Serikat",
  "Filipina",
  "Nigeria",
] as const;

export const FIRST_NAMES = [
  "Agus",
  "Budi",
  "Siti",
  "Dewi",
  "Rina",
  "Ahmad",
  "Muhammad",
  "Nur",
  "Sri",
  "Wahyu",
  "Putri",
  "Rizky",
  "Fajar",
  "Indah",
  "Yusuf",
  "Aisyah",
  "Dian",
  "Eko",
  "Fitri",
  "Hendra",
  "Intan",
  "Joko",
  "Kartika",
  "Lestari",
  "Made",
  "Nyoman",
  "Ketut",
  "Wayan",
  "Yohanes",
  "Maria",
  "Bambang",
  "Rahmat",
  "Suryani",
  "Teguh",
  "Ujang",
  "Vina",
] as const;

export const LAST_NAMES = [
  "Santoso",
  "Wijaya",
  "Saputra",
  "Rahayu",
  "Hidayat",
  "Nugroho",
  "Siregar",
  "Nasution",
  "Lubis",
  "Harahap",
  "Simanjuntak",
  "Pratama",
  "Kusuma",
  "Setiawan",
  "Gunawan",
  "Hasibuan",
  "Sitompul",
  "Wibowo",
  "Susanto",
  "Permana",
  "Sembiring",
  "Ginting",
  "Tanjung",
  "Daulay",
  "Putra",
  "Utami",
  "Lestari",
  "Manurung",
  "Pangaribuan",
] as const;
