CREATE TABLE `task_callback_nonces` (
	`nonce` text PRIMARY KEY NOT NULL,
	`received_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `task_callback_nonces_received_at` ON `task_callback_nonces` (`received_at`);--> statement-breakpoint
CREATE TABLE `task_events` (
	`seq` integer PRIMARY KEY AUTOINCREMENT NOT NULL,
	`task_id` text NOT NULL,
	`at` integer NOT NULL,
	`type` text NOT NULL,
	`text` text NOT NULL
);
--> statement-breakpoint
CREATE INDEX `task_events_task_seq` ON `task_events` (`task_id`,`seq`);--> statement-breakpoint
CREATE TABLE `task_settings` (
	`workspace_id` text PRIMARY KEY NOT NULL,
	`max_running` integer,
	`max_running_per_environment` integer,
	`timeout_seconds` integer,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `tasks` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`workspace_id` text NOT NULL,
	`requester_member_id` text NOT NULL,
	`origin` text NOT NULL,
	`environment_id` text,
	`kind` text NOT NULL,
	`title` text NOT NULL,
	`prompt` text NOT NULL,
	`context` text DEFAULT '{}' NOT NULL,
	`status` text DEFAULT 'queued' NOT NULL,
	`answer` text,
	`error` text,
	`pr_url` text,
	`usage` text,
	`changed_files` text,
	`attempts` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`started_at` integer,
	`finished_at` integer,
	`available_at` integer NOT NULL,
	`lease_owner` text,
	`lease_until` integer,
	`deadline_at` integer,
	`executor` text,
	`executor_state` text,
	`cancelled_by` text,
	`notified_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `tasks_dedupe_key` ON `tasks` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `tasks_claim` ON `tasks` (`status`,`available_at`);--> statement-breakpoint
CREATE INDEX `tasks_lease` ON `tasks` (`status`,`lease_until`);--> statement-breakpoint
CREATE INDEX `tasks_workspace_status` ON `tasks` (`workspace_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_environment_status` ON `tasks` (`environment_id`,`status`);--> statement-breakpoint
CREATE INDEX `tasks_unnotified` ON `tasks` (`notified_at`,`finished_at`);--> statement-breakpoint
CREATE INDEX `tasks_workspace_created` ON `tasks` (`workspace_id`,`created_at`);