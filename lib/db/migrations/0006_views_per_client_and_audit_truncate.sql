ALTER TABLE "saved_views" ADD COLUMN "client" text;--> statement-breakpoint
CREATE INDEX "saved_views_client_idx" ON "saved_views" USING btree ("client");--> statement-breakpoint
-- TRUNCATE fires no row trigger: without its own, it emptied the append-only audit trail in one statement.
CREATE FUNCTION audit_events_no_truncate() RETURNS trigger LANGUAGE plpgsql AS $$
BEGIN
	RAISE EXCEPTION 'audit_events is append-only (TRUNCATE refused)';
END
$$;--> statement-breakpoint
CREATE TRIGGER audit_events_no_truncate BEFORE TRUNCATE ON "audit_events"
	FOR EACH STATEMENT EXECUTE FUNCTION audit_events_no_truncate();
