CREATE TABLE "study_artifacts" (
	"study_id" integer NOT NULL,
	"key" text NOT NULL,
	"data" "bytea",
	"owner" text,
	"lease_until" text,
	"stored_at" text,
	CONSTRAINT "study_artifacts_study_id_key_pk" PRIMARY KEY("study_id","key")
);
--> statement-breakpoint
ALTER TABLE "study_artifacts" ADD CONSTRAINT "study_artifacts_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;