CREATE TABLE `apps` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`kind` text NOT NULL,
	`enabled` integer NOT NULL,
	`status` text NOT NULL,
	`access` text NOT NULL,
	`mode` text NOT NULL,
	`confirm_writes` integer NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `apps_workspace` ON `apps` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `environment_collaborators` (
	`workspace_id` text NOT NULL,
	`environment_id` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`environment_id`, `member_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`environment_id`) REFERENCES `environments`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `environment_collaborators_workspace` ON `environment_collaborators` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `environments` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`description` text DEFAULT '' NOT NULL,
	`repository` text NOT NULL,
	`visibility` text NOT NULL,
	`creator_id` text NOT NULL,
	`internet` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `environments_workspace_name` ON `environments` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `group_members` (
	`workspace_id` text NOT NULL,
	`group_id` text NOT NULL,
	`member_id` text NOT NULL,
	PRIMARY KEY(`group_id`, `member_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `group_members_workspace` ON `group_members` (`workspace_id`);--> statement-breakpoint
CREATE INDEX `group_members_member` ON `group_members` (`member_id`);--> statement-breakpoint
CREATE TABLE `groups` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`external_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `groups_workspace_name` ON `groups` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `identities` (
	`workspace_id` text NOT NULL,
	`member_id` text NOT NULL,
	`platform` text NOT NULL,
	`external_id` text NOT NULL,
	`display` text NOT NULL,
	`source` text NOT NULL,
	`created_at` integer NOT NULL,
	PRIMARY KEY(`member_id`, `platform`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`member_id`) REFERENCES `members`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `identities_platform_external` ON `identities` (`workspace_id`,`platform`,`external_id`);--> statement-breakpoint
CREATE TABLE `managed_policies` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`source` text NOT NULL,
	`requirements` text NOT NULL,
	`warnings` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `managed_policies_workspace_name` ON `managed_policies` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `members` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`email` text NOT NULL,
	`display_name` text,
	`given_name` text,
	`family_name` text,
	`status` text DEFAULT 'active' NOT NULL,
	`is_owner` integer DEFAULT false NOT NULL,
	`external_id` text,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `members_workspace_email` ON `members` (`workspace_id`,`email`);--> statement-breakpoint
CREATE TABLE `plugins` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`enabled` integer NOT NULL,
	`skills` text NOT NULL,
	`required_app_ids` text NOT NULL,
	`optional_app_ids` text NOT NULL,
	`policy_by_role` text NOT NULL,
	`default_policy` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `plugins_workspace` ON `plugins` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `policy_rules` (
	`workspace_id` text NOT NULL,
	`position` integer NOT NULL,
	`group_id` text NOT NULL,
	`policy_id` text NOT NULL,
	PRIMARY KEY(`workspace_id`, `position`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`policy_id`) REFERENCES `managed_policies`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE TABLE `role_assignments` (
	`workspace_id` text NOT NULL,
	`role_id` text NOT NULL,
	`group_id` text NOT NULL,
	PRIMARY KEY(`role_id`, `group_id`),
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON UPDATE no action ON DELETE cascade,
	FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE INDEX `role_assignments_workspace` ON `role_assignments` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `roles` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`name` text NOT NULL,
	`permissions` text NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `roles_workspace_name` ON `roles` (`workspace_id`,`name`);--> statement-breakpoint
CREATE TABLE `api_keys` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`hash` text NOT NULL,
	`prefix` text NOT NULL,
	`scopes` text NOT NULL,
	`created_by` text NOT NULL,
	`created_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `api_keys_hash` ON `api_keys` (`hash`);--> statement-breakpoint
CREATE TABLE `audit_log` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text,
	`actor` text NOT NULL,
	`action` text NOT NULL,
	`target` text,
	`before` text,
	`after` text,
	`decision` text,
	`request` text,
	`code` text,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `audit_log_workspace_created` ON `audit_log` (`workspace_id`,`created_at`);--> statement-breakpoint
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
CREATE INDEX `github_reviews_status_finished` ON `github_reviews` (`status`,`finished_at`);--> statement-breakpoint
CREATE TABLE `inbox` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`delivery_key` text NOT NULL,
	`event_type` text NOT NULL,
	`status` text DEFAULT 'pending' NOT NULL,
	`received_at` integer NOT NULL,
	`available_at` integer NOT NULL,
	`lease_until` integer,
	`attempts` integer DEFAULT 0 NOT NULL,
	`last_error` text,
	`processed_at` integer,
	`payload` text,
	`normalized` text,
	`outcome` text
);
--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_platform_delivery_key` ON `inbox` (`platform`,`delivery_key`);--> statement-breakpoint
CREATE INDEX `inbox_claim` ON `inbox` (`status`,`available_at`);--> statement-breakpoint
CREATE INDEX `inbox_received_at` ON `inbox` (`received_at`);--> statement-breakpoint
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
--> statement-breakpoint
CREATE TABLE `notify_subscriptions` (
	`id` text PRIMARY KEY NOT NULL,
	`workspace_id` text NOT NULL,
	`environment_id` text,
	`environment_key` text NOT NULL,
	`slack_team_id` text NOT NULL,
	`channel_id` text NOT NULL,
	`created_by` text,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `notify_subscriptions_unique` ON `notify_subscriptions` (`workspace_id`,`channel_id`,`environment_key`);--> statement-breakpoint
CREATE INDEX `notify_subscriptions_workspace_env` ON `notify_subscriptions` (`workspace_id`,`environment_id`);--> statement-breakpoint
CREATE TABLE `outbox` (
	`id` text PRIMARY KEY NOT NULL,
	`dedupe_key` text NOT NULL,
	`platform` text NOT NULL,
	`operation` text NOT NULL,
	`args` text NOT NULL,
	`task_id` text,
	`status` text DEFAULT 'pending' NOT NULL,
	`attempts` integer DEFAULT 0 NOT NULL,
	`rate_limited` integer DEFAULT 0 NOT NULL,
	`available_at` integer NOT NULL,
	`lease_until` integer,
	`last_error` text,
	`response` text,
	`created_at` integer NOT NULL,
	`sent_at` integer
);
--> statement-breakpoint
CREATE UNIQUE INDEX `outbox_dedupe_key` ON `outbox` (`dedupe_key`);--> statement-breakpoint
CREATE INDEX `outbox_claim` ON `outbox` (`status`,`available_at`);--> statement-breakpoint
CREATE INDEX `outbox_status_created` ON `outbox` (`status`,`created_at`);--> statement-breakpoint
CREATE INDEX `outbox_task` ON `outbox` (`task_id`);--> statement-breakpoint
CREATE TABLE `sandbox_outbound` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`operation` text NOT NULL,
	`request` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_outbound_created_at` ON `sandbox_outbound` (`created_at`);--> statement-breakpoint
CREATE TABLE `sessions` (
	`id` text PRIMARY KEY NOT NULL,
	`provider` text NOT NULL,
	`subject` text NOT NULL,
	`display_name` text NOT NULL,
	`created_at` integer NOT NULL,
	`expires_at` integer NOT NULL,
	`revoked_at` integer
);
--> statement-breakpoint
CREATE INDEX `sessions_subject` ON `sessions` (`provider`,`subject`);--> statement-breakpoint
CREATE INDEX `sessions_expires_at` ON `sessions` (`expires_at`);--> statement-breakpoint
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
--> statement-breakpoint
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
CREATE INDEX `tasks_workspace_created` ON `tasks` (`workspace_id`,`created_at`);--> statement-breakpoint
CREATE TABLE `workspace_links` (
	`workspace_id` text NOT NULL,
	`kind` text NOT NULL,
	`external_id` text NOT NULL,
	`created_at` integer NOT NULL,
	FOREIGN KEY (`workspace_id`) REFERENCES `workspaces`(`id`) ON UPDATE no action ON DELETE cascade
);
--> statement-breakpoint
CREATE UNIQUE INDEX `workspace_links_kind_external` ON `workspace_links` (`kind`,`external_id`);--> statement-breakpoint
CREATE INDEX `workspace_links_workspace` ON `workspace_links` (`workspace_id`);--> statement-breakpoint
CREATE TABLE `workspaces` (
	`id` text PRIMARY KEY NOT NULL,
	`name` text NOT NULL,
	`codex_local` integer DEFAULT true NOT NULL,
	`codex_cloud` integer DEFAULT false NOT NULL,
	`github_connector` integer DEFAULT false NOT NULL,
	`code_review` integer DEFAULT false NOT NULL,
	`slack_full_answers` integer DEFAULT false NOT NULL,
	`linear_full_answers` integer DEFAULT false NOT NULL,
	`agent_internet` integer DEFAULT false NOT NULL,
	`default_role_id` text,
	`default_policy_id` text,
	`version` integer DEFAULT 1 NOT NULL,
	`created_at` integer NOT NULL,
	`updated_at` integer NOT NULL
);
