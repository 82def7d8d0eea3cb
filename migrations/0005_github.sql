CREATE TABLE `github_app_credentials` (
	`id` text PRIMARY KEY NOT NULL,
	`app_id` text NOT NULL,
	`slug` text NOT NULL,
	`html_url` text NOT NULL,
	`owner_login` text,
	`client_id` text,
	`client_secret` text,
	`private_key` text NOT NULL,
	`webhook_secret` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `github_bot_allowlist` (
	`workspace_id` text NOT NULL,
	`login` text NOT NULL,
	`added_by` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `login`)
);
--> statement-breakpoint
CREATE TABLE `github_installations` (
	`id` integer PRIMARY KEY NOT NULL,
	`account_login` text NOT NULL,
	`account_type` text NOT NULL,
	`app_slug` text,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE TABLE `github_pr_notices` (
	`repository` text NOT NULL,
	`pr_number` integer NOT NULL,
	`code` text NOT NULL,
	`login` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`repository`, `pr_number`)
);
--> statement-breakpoint
CREATE TABLE `github_repositories` (
	`id` integer PRIMARY KEY NOT NULL,
	`installation_id` integer NOT NULL,
	`full_name` text NOT NULL,
	`full_name_key` text NOT NULL,
	`is_private` integer DEFAULT false NOT NULL,
	`status` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `github_repositories_installation` ON `github_repositories` (`installation_id`);--> statement-breakpoint
CREATE INDEX `github_repositories_name` ON `github_repositories` (`full_name_key`);--> statement-breakpoint
CREATE TABLE `github_review_feedback` (
	`id` text PRIMARY KEY NOT NULL,
	`finding_id` text NOT NULL,
	`review_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`content` text NOT NULL,
	`actor_login` text NOT NULL,
	`priority` integer NOT NULL,
	`external_id` integer NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `github_review_feedback_external` ON `github_review_feedback` (`kind`,`external_id`);--> statement-breakpoint
CREATE INDEX `github_review_feedback_finding` ON `github_review_feedback` (`finding_id`);--> statement-breakpoint
CREATE INDEX `github_review_feedback_workspace_created` ON `github_review_feedback` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `github_review_findings` (
	`id` text PRIMARY KEY NOT NULL,
	`review_id` text NOT NULL,
	`workspace_id` text NOT NULL,
	`position` integer NOT NULL,
	`priority` integer NOT NULL,
	`title` text NOT NULL,
	`path` text NOT NULL,
	`line` integer NOT NULL,
	`side` text NOT NULL,
	`placement` text NOT NULL,
	`comment_id` integer,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE UNIQUE INDEX `github_review_findings_position` ON `github_review_findings` (`review_id`,`position`);--> statement-breakpoint
CREATE INDEX `github_review_findings_comment` ON `github_review_findings` (`comment_id`);--> statement-breakpoint
CREATE TABLE `github_review_opt_ins` (
	`workspace_id` text NOT NULL,
	`member_id` text NOT NULL,
	`enabled` integer NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `member_id`)
);
--> statement-breakpoint
CREATE TABLE `github_review_settings` (
	`workspace_id` text NOT NULL,
	`repository` text NOT NULL,
	`settings` text NOT NULL,
	`updated_by` text NOT NULL,
	`updated_at` integer NOT NULL,
	PRIMARY KEY(`workspace_id`, `repository`)
);
--> statement-breakpoint
CREATE TABLE `github_reviews` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`pull_key` text NOT NULL,
	`workspace_id` text NOT NULL,
	`installation_id` integer NOT NULL,
	`repository` text NOT NULL,
	`pr_number` integer NOT NULL,
	`head_sha` text NOT NULL,
	`base_sha` text NOT NULL,
	`trigger` text NOT NULL,
	`task_id` text NOT NULL,
	`requester_member_id` text NOT NULL,
	`min_priority` integer NOT NULL,
	`status` text NOT NULL,
	`superseded_by` text,
	`github_review_id` integer,
	`stats` text,
	`error` text,
	`created_at` integer NOT NULL,
	`finished_at` integer,
	`feedback_synced_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `github_reviews_dedupe` ON `github_reviews` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `github_reviews_pull` ON `github_reviews` (`pull_key`,`status`);--> statement-breakpoint
CREATE INDEX `github_reviews_task` ON `github_reviews` (`task_id`);--> statement-breakpoint
CREATE INDEX `github_reviews_workspace_created` ON `github_reviews` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE INDEX `github_reviews_status_finished` ON `github_reviews` (`status`,`finished_at`);