CREATE SEQUENCE "public"."sweetspot_changes" INCREMENT BY 1 MINVALUE 1 MAXVALUE 9223372036854775807 START WITH 1 CACHE 1;--> statement-breakpoint
CREATE TABLE "studies" (
	"id" serial PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"space_file" text NOT NULL,
	"space_text" text NOT NULL,
	"space_hash" text NOT NULL,
	"directions" text NOT NULL,
	"seed" integer NOT NULL,
	"created_at" text NOT NULL,
	CONSTRAINT "studies_name_unique" UNIQUE("name")
);
--> statement-breakpoint
CREATE TABLE "study_attrs" (
	"study_id" integer NOT NULL,
	"key" text NOT NULL,
	"value" text NOT NULL,
	CONSTRAINT "study_attrs_study_id_key_pk" PRIMARY KEY("study_id","key")
);
--> statement-breakpoint
CREATE TABLE "trial_intermediate" (
	"trial_id" integer NOT NULL,
	"step" integer NOT NULL,
	"metrics" text NOT NULL,
	CONSTRAINT "trial_intermediate_trial_id_step_pk" PRIMARY KEY("trial_id","step")
);
--> statement-breakpoint
CREATE TABLE "trials" (
	"id" serial PRIMARY KEY NOT NULL,
	"study_id" integer NOT NULL,
	"number" integer NOT NULL,
	"state" text NOT NULL,
	"params" text NOT NULL,
	"metrics" text,
	"attrs" text NOT NULL,
	"error" text,
	"worker" integer,
	"heartbeat" text,
	"owner" text,
	"lease_until" text,
	"attempt" integer DEFAULT 1 NOT NULL,
	"interrupted" integer DEFAULT 0 NOT NULL,
	"started_at" text,
	"finished_at" text,
	CONSTRAINT "trials_state" CHECK ("trials"."state" IN ('waiting', 'running', 'complete', 'pruned', 'failed'))
);
--> statement-breakpoint
ALTER TABLE "study_attrs" ADD CONSTRAINT "study_attrs_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trial_intermediate" ADD CONSTRAINT "trial_intermediate_trial_id_trials_id_fk" FOREIGN KEY ("trial_id") REFERENCES "public"."trials"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "trials" ADD CONSTRAINT "trials_study_id_studies_id_fk" FOREIGN KEY ("study_id") REFERENCES "public"."studies"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "trials_study_number" ON "trials" USING btree ("study_id","number");--> statement-breakpoint
CREATE INDEX "trials_study_params" ON "trials" USING btree ("study_id","params");--> statement-breakpoint
CREATE INDEX "trials_study_interrupted" ON "trials" USING btree ("study_id") WHERE "trials"."interrupted" = 1;