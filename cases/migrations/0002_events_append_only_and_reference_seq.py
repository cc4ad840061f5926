from django.db import migrations

# Case events are the record of who did what; the database refuses to change or remove them,
# whatever code path (admin, shell, a bug) tries. The one exception is removing demo data
# (load_demo --remove), which sets waystation.purge_demo for its own transaction.
APPEND_ONLY = """
CREATE FUNCTION cases_caseevent_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
    IF TG_OP = 'DELETE' AND current_setting('waystation.purge_demo', true) = 'on' THEN
        RETURN OLD;
    END IF;
    RAISE EXCEPTION 'case events are append-only (% refused)', TG_OP
        USING ERRCODE = 'restrict_violation';
END $$;
CREATE TRIGGER cases_caseevent_append_only
    BEFORE UPDATE OR DELETE ON cases_caseevent
    FOR EACH ROW EXECUTE FUNCTION cases_caseevent_append_only();
"""
DROP_APPEND_ONLY = """
DROP TRIGGER cases_caseevent_append_only ON cases_caseevent;
DROP FUNCTION cases_caseevent_append_only();
"""

# Serial number inside readable case references (330411-2026-000123): a sequence never hands the
# same number to two concurrent intakes and needs no lock.
SEQUENCE = "CREATE SEQUENCE cases_case_reference_seq START 1;"
DROP_SEQUENCE = "DROP SEQUENCE cases_case_reference_seq;"


class Migration(migrations.Migration):
    dependencies = [("cases", "0001_initial")]

    operations = [
        migrations.RunSQL(APPEND_ONLY, DROP_APPEND_ONLY),
        migrations.RunSQL(SEQUENCE, DROP_SEQUENCE),
    ]
