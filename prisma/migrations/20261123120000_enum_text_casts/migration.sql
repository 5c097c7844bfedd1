-- Text-to-enum casts that the planner can fold into constants.
--
-- Prisma sends every enum value as text and casts it in the statement: `status IN (CAST($1::text AS
-- "TicketStatus"), ...)` (prisma/orm#25807). Without a cast in pg_cast, PostgreSQL converts through the
-- enum's input function, which is STABLE, so the conversion is never folded at planning time: it runs for
-- every row a filter looks at (17,000 rows for a page of the busiest regional office's queue at 10 million
-- tickets), and the planner costs the filter as if it were a function call per row.
--
-- Each enum gets an explicit cast from text through a function declared IMMUTABLE, which the planner
-- evaluates once when the argument is a constant (always, for the unnamed statements Prisma sends) and
-- turns the list into a constant array. The conversion itself is unchanged: through varchar, which has no
-- cast of its own to the enum, so it is the same input function, with the same error for an unknown
-- label. IMMUTABLE holds as long as a label keeps its meaning: renaming an enum value (ALTER TYPE ...
-- RENAME VALUE) must come with a server restart, which a migration has anyway. A new enum type needs
-- the same cast; a test checks that every enum has one.
DO $$
DECLARE
  enum_type record;
BEGIN
  FOR enum_type IN
    SELECT t.oid::regtype AS name, quote_ident('enum_from_text_' || t.typname) AS cast_function
    FROM pg_type t JOIN pg_namespace n ON n.oid = t.typnamespace
    WHERE t.typtype = 'e' AND n.nspname = current_schema()
  LOOP
    EXECUTE format(
      'CREATE FUNCTION %s(label text) RETURNS %s LANGUAGE plpgsql IMMUTABLE STRICT PARALLEL SAFE
       AS $body$ BEGIN RETURN label::varchar::%s; END $body$',
      enum_type.cast_function, enum_type.name, enum_type.name);
    EXECUTE format('CREATE CAST (text AS %s) WITH FUNCTION %s(text)', enum_type.name, enum_type.cast_function);
  END LOOP;
END;
$$;
