CREATE TABLE `studies` (
	`id` integer PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`space_file` text NOT NULL,
	`space_text` text NOT NULL,
	`space_hash` text NOT NULL,
	`directions` text NOT NULL,
	`seed` integer NOT NULL,
	`created_at` text NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `studies_name_unique` ON `studies` (`name`);--> statement-breakpoint
CREATE TABLE `study_attrs` (
	`study_id` integer NOT NULL,
	`key` text NOT NULL,
	`value` text NOT NULL,
	PRIMARY KEY(`study_id`, `key`),
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `trial_intermediate` (
	`trial_id` integer NOT NULL,
	`step` integer NOT NULL,
	`metrics` text NOT NULL,
	PRIMARY KEY(`trial_id`, `step`),
	FOREIGN KEY (`trial_id`) REFERENCES `trials`(`id`) ON UPDATE no action ON DELETE cascade
) WITHOUT ROWID;
--> statement-breakpoint
CREATE TABLE `trials` (
	`id` integer PRIMARY KEY NOT NULL,
	`study_id` integer NOT NULL,
	`number` integer NOT NULL,
	`state` text NOT NULL,
	`params` text NOT NULL,
	`metrics` text,
	`attrs` text NOT NULL,
	`error` text,
	`worker` integer,
	`heartbeat` text,
	`owner` text,
	`lease_until` text,
	`attempt` integer DEFAULT 1 NOT NULL,
	`interrupted` integer DEFAULT 0 NOT NULL,
	`started_at` text,
	`finished_at` text,
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade,
	CONSTRAINT "trials_state" CHECK("trials"."state" IN ('waiting', 'running', 'complete', 'pruned', 'failed'))
);
--> statement-breakpoint
CREATE UNIQUE INDEX `trials_study_number` ON `trials` (`study_id`,`number`);--> statement-breakpoint
CREATE INDEX `trials_study_params` ON `trials` (`study_id`,`params`);--> statement-breakpoint
CREATE INDEX `trials_study_interrupted` ON `trials` (`study_id`) WHERE "trials"."interrupted" = 1;