CREATE TABLE `task_day_counts` (
	`workspace_id` text NOT NULL,
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`day` integer NOT NULL,
	`kind` text NOT NULL,
	`started` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `scope`, `scope_id`, `day`, `kind`)
);
--> statement-breakpoint
CREATE INDEX `task_day_counts_day` ON `task_day_counts` (`day`);--> statement-breakpoint
CREATE TABLE `task_scope_limits` (
	`workspace_id` text NOT NULL,
	`scope` text NOT NULL,
	`scope_id` text NOT NULL,
	`max_running` integer,
	`tasks_per_day` integer,
	`reviews_per_day` integer,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `scope`, `scope_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
ALTER TABLE `task_settings` ADD `tasks_per_day` integer;--> statement-breakpoint
ALTER TABLE `task_settings` ADD `reviews_per_day` integer;--> statement-breakpoint
ALTER TABLE `tasks` ADD `started_day` integer;--> statement-breakpoint
ALTER TABLE `tasks` ADD `wait_reason` text;--> statement-breakpoint
CREATE INDEX `tasks_requester_status` ON `tasks` (`requester_member_id`,`status`);