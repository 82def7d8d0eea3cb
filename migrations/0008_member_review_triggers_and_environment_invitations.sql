CREATE TABLE `environment_invitations` (
	`workspace_id` text NOT NULL,
	`environment_id` text NOT NULL,
	`email` text NOT NULL,
	`invited_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`environment_id`, `email`),
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `environment_invitations_email` ON `environment_invitations` (`workspace_id`,`email`);--> statement-breakpoint
CREATE TABLE `review_trigger_choices` (
	`workspace_id` text NOT NULL,
	`member_id` text NOT NULL,
	`repository` text NOT NULL,
	`triggers` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `member_id`, `repository`)
);
