CREATE TABLE `study_artifacts` (
	`study_id` integer NOT NULL,
	`key` text NOT NULL,
	`data` blob,
	`owner` text,
	`lease_until` text,
	`stored_at` text,
	PRIMARY KEY(`study_id`, `key`),
	FOREIGN KEY (`study_id`) REFERENCES `studies`(`id`) ON UPDATE no action ON DELETE cascade
);
