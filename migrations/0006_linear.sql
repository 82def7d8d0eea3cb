CREATE TABLE `linear_installations` (
	`organization_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`organization_name` text,
	`actor` text NOT NULL,
	`app_user_id` text,
	`access_token` text,
	`refresh_token` text,
	`token_expires_at` integer,
	`scopes` text,
	`installed_by` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `linear_installations_workspace` ON `linear_installations` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `linear_own_objects` (
	`id` text PRIMARY KEY NOT NULL,
	`kind` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `linear_sessions` (
	`session_id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`organization_id` text NOT NULL,
	`issue_id` text,
	`member_id` text,
	`state` text NOT NULL,
	`task_id` text,
	`environment_id` text,
	`pending` text,
	`progress_at` integer,
	`progress_count` integer DEFAULT 0 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `linear_team_environments` (
	`workspace_id` text NOT NULL,
	`team_id` text NOT NULL,
	`environment_id` text NOT NULL,
	`team_name` text,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `team_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
