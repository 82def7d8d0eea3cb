CREATE TABLE `slack_channel_defaults` (
	`workspace_id` text NOT NULL,
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`environment_id` text NOT NULL,
	`set_by` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `team_id`, `channel_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `slack_installations` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`install_key` text NOT NULL,
	`team_id` text,
	`team_name` text,
	`enterprise_id` text,
	`app_id` text,
	`bot_user_id` text,
	`bot_token` text NOT NULL,
	`scopes` text DEFAULT '' NOT NULL,
	`installed_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `slack_installations_key` ON `slack_installations` (`install_key`);--> statement-breakpoint
CREATE INDEX `slack_installations_workspace` ON `slack_installations` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `slack_pending` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`team_id` text NOT NULL,
	`user_id` text NOT NULL,
	`payload` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`resolved_at` integer,
	`resolved_by` text,
	`resolution` text,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `slack_pending_expires` ON `slack_pending` (`expires_at`);--> statement-breakpoint
CREATE TABLE `slack_thread_marks` (
	`team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`thread_ts` text NOT NULL,
	`workspace_id` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`team_id`, `channel_id`, `thread_ts`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
