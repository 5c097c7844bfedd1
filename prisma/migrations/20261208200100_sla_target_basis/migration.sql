-- Every target of a policy says whether a statute sets it (LEGAL, citing its article) or Pantau does
-- (INTERNAL), and where it comes from. Existing rows are INTERNAL until a version says otherwise: a
-- number is not presented as law unless someone named the article. The shipped defaults are revised to
-- labelled versions when the server seeds its reference data.
CREATE TYPE "TargetBasis" AS ENUM ('LEGAL', 'INTERNAL');

ALTER TABLE "sla_policy"
  ADD COLUMN "first_response_basis" "TargetBasis" NOT NULL DEFAULT 'INTERNAL',
  ADD COLUMN "first_response_source" TEXT NOT NULL DEFAULT '',
  ADD COLUMN "resolution_basis" "TargetBasis" NOT NULL DEFAULT 'INTERNAL',
  ADD COLUMN "resolution_source" TEXT NOT NULL DEFAULT '';

-- The folded text cast every enum has (see 20261123120000_enum_text_casts).
CREATE FUNCTION "enum_from_text_TargetBasis"(label text) RETURNS "TargetBasis" LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
  AS $body$ BEGIN RETURN label::varchar::"TargetBasis"; END $body$;
CREATE CAST (text AS "TargetBasis") WITH FUNCTION "enum_from_text_TargetBasis"(text);
