CREATE TABLE `compliance_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`workspace_id` text NOT NULL,
	`event_type` text NOT NULL,
	`type` text NOT NULL,
	`actor` text,
	`target` text,
	`at` integer NOT NULL,
	`data` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `compliance_events_stream` ON `compliance_events` (`workspace_id`,`event_type`,`seq`);--> statement-breakpoint
CREATE TABLE `compliance_log_files` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`event_type` text NOT NULL,
	`first_seq` integer NOT NULL,
	`last_seq` integer NOT NULL,
	`event_count` integer NOT NULL,
	`start_at` integer NOT NULL,
	`end_at` integer NOT NULL,
	`size` integer NOT NULL,
	`sha256` text NOT NULL,
	`content` text NOT NULL,
	`closed_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `compliance_log_files_stream` ON `compliance_log_files` (`workspace_id`,`event_type`,`first_seq`);--> statement-breakpoint
CREATE INDEX `compliance_log_files_end` ON `compliance_log_files` (`workspace_id`,`end_at`);--> statement-breakpoint
CREATE TABLE `retention_settings` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`task_content_days` integer,
	`compliance_log_days` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
ALTER TABLE `tasks` ADD `inbox_id` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `transition_id` text;--> statement-breakpoint
ALTER TABLE `tasks` ADD `content_erased_at` integer;--> statement-breakpoint
ALTER TABLE `tasks` ADD `content_erasure` text;--> statement-breakpoint
CREATE INDEX `tasks_workspace_erasure` ON `tasks` (`workspace_id`,`content_erased_at`,`finished_at`);--> statement-breakpoint
ALTER TABLE `workspaces` ADD `zero_data_retention` integer DEFAULT false NOT NULL;