CREATE TABLE `analytics_findings_daily` (
	`workspace_id` text NOT NULL,
	`day` integer NOT NULL,
	`priority` integer NOT NULL,
	`findings` integer DEFAULT 0 NOT NULL,
	`comments` integer DEFAULT 0 NOT NULL,
	`reactions_positive` integer DEFAULT 0 NOT NULL,
	`reactions_negative` integer DEFAULT 0 NOT NULL,
	`reactions_neutral` integer DEFAULT 0 NOT NULL,
	`replies_positive` integer DEFAULT 0 NOT NULL,
	`replies_negative` integer DEFAULT 0 NOT NULL,
	`replies_neutral` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`, `priority`)
);
--> statement-breakpoint
CREATE TABLE `analytics_member_daily` (
	`workspace_id` text NOT NULL,
	`day` integer NOT NULL,
	`member_id` text NOT NULL,
	`sessions` integer DEFAULT 0 NOT NULL,
	`messages` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`, `member_id`)
);
--> statement-breakpoint
CREATE TABLE `analytics_seen` (
	`workspace_id` text NOT NULL,
	`day` integer NOT NULL,
	`audience` text NOT NULL,
	`key` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`, `audience`, `key`)
);
--> statement-breakpoint
CREATE TABLE `analytics_usage_daily` (
	`workspace_id` text NOT NULL,
	`day` integer NOT NULL,
	`surface` text NOT NULL,
	`active_users` integer DEFAULT 0 NOT NULL,
	`tasks_started` integer DEFAULT 0 NOT NULL,
	`tasks_completed` integer DEFAULT 0 NOT NULL,
	`tasks_failed` integer DEFAULT 0 NOT NULL,
	`tasks_cancelled` integer DEFAULT 0 NOT NULL,
	`reviews_started` integer DEFAULT 0 NOT NULL,
	`runs_finished` integer DEFAULT 0 NOT NULL,
	`run_duration_ms` integer DEFAULT 0 NOT NULL,
	`runs_with_usage` integer DEFAULT 0 NOT NULL,
	`input_tokens` integer DEFAULT 0 NOT NULL,
	`cached_input_tokens` integer DEFAULT 0 NOT NULL,
	`output_tokens` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`, `surface`)
);
--> statement-breakpoint
CREATE TABLE `analytics_workspace_daily` (
	`workspace_id` text NOT NULL,
	`day` integer NOT NULL,
	`cloud_users` integer DEFAULT 0 NOT NULL,
	`reviews` integer DEFAULT 0 NOT NULL,
	`automatic_reviews` integer DEFAULT 0 NOT NULL,
	`requested_reviews` integer DEFAULT 0 NOT NULL,
	`review_users` integer DEFAULT 0 NOT NULL,
	`reviews_published` integer DEFAULT 0 NOT NULL,
	`reviews_clean` integer DEFAULT 0 NOT NULL,
	`reviews_failed` integer DEFAULT 0 NOT NULL,
	`reviews_cancelled` integer DEFAULT 0 NOT NULL,
	PRIMARY KEY(`workspace_id`, `day`)
);
--> statement-breakpoint
ALTER TABLE `github_review_feedback` ADD `sentiment` text DEFAULT 'neutral' NOT NULL;--> statement-breakpoint
ALTER TABLE `github_review_feedback` ADD `counted` integer DEFAULT 0 NOT NULL;