-- Classes that offices in the directory hold but the enum could not express. Added on their own: a value
-- added to an enum cannot be used in the transaction that adds it.
ALTER TYPE "OfficeClass" ADD VALUE 'KELAS_I_KHUSUS_NON_TPI' AFTER 'KELAS_I_KHUSUS_TPI';
ALTER TYPE "OfficeClass" ADD VALUE 'KELAS_III_TPI' AFTER 'KELAS_II_NON_TPI';
