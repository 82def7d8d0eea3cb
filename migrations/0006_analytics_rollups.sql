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
ALTER TABLE `github_review_feedback` ADD `counted` integer DEFAULT 0 NOT NULL;--> statement-breakpoint
-- Backfill: the rollups of what the hub recorded before it kept them, computed once from the raw rows with the
-- rules the live writes follow (src/governance/analytics/rollup-*.ts). Replies recorded before this migration keep
-- the neutral sentiment (their rule is not expressible in SQL); reactions get theirs.
INSERT OR IGNORE INTO `analytics_seen` (`workspace_id`, `day`, `audience`, `key`)
SELECT DISTINCT `workspace_id`, `created_at` / 86400000, 'user:' || coalesce(json_extract(origin, '$.surface'), 'api'), `requester_member_id` FROM `tasks`;
--> statement-breakpoint
INSERT OR IGNORE INTO `analytics_seen` (`workspace_id`, `day`, `audience`, `key`)
SELECT DISTINCT `workspace_id`, `created_at` / 86400000, 'user:cloud', `requester_member_id` FROM `tasks`;
--> statement-breakpoint
INSERT OR IGNORE INTO `analytics_seen` (`workspace_id`, `day`, `audience`, `key`)
SELECT DISTINCT `workspace_id`, `created_at` / 86400000, 'user:code_review', `requester_member_id` FROM `github_reviews`;
--> statement-breakpoint
INSERT OR IGNORE INTO `analytics_seen` (`workspace_id`, `day`, `audience`, `key`)
SELECT DISTINCT `workspace_id`, 0, 'session', `requester_member_id` || '|' || coalesce(CASE coalesce(json_extract(origin, '$.surface'), 'api') WHEN 'slack' THEN 'slack:' || json_extract(origin, '$.teamId') || ':' || json_extract(origin, '$.channel') || ':' || json_extract(origin, '$.threadTs') WHEN 'github' THEN 'github:' || lower(json_extract(origin, '$.repository')) || '#' || json_extract(origin, '$.prNumber') WHEN 'linear' THEN 'linear:' || coalesce(json_extract(origin, '$.agentSessionId'), json_extract(origin, '$.issueId'), json_extract(origin, '$.commentId'), id) ELSE 'api:' || id END, 'api:' || id) FROM `tasks`;
--> statement-breakpoint
INSERT INTO `analytics_usage_daily` (`workspace_id`, `day`, `surface`, `active_users`, `tasks_started`, `reviews_started`)
SELECT `workspace_id`, `created_at` / 86400000, coalesce(json_extract(origin, '$.surface'), 'api'), count(DISTINCT `requester_member_id`),
  sum(`kind` = 'task'), sum(`kind` = 'review')
FROM `tasks` WHERE true GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `analytics_usage_daily` (`workspace_id`, `day`, `surface`, `tasks_completed`, `tasks_failed`, `tasks_cancelled`,
  `runs_finished`, `run_duration_ms`, `runs_with_usage`, `input_tokens`, `cached_input_tokens`, `output_tokens`)
SELECT `workspace_id`, `finished_at` / 86400000, coalesce(json_extract(origin, '$.surface'), 'api'),
  sum(`kind` = 'task' AND `status` = 'completed'), sum(`kind` = 'task' AND `status` = 'failed'),
  sum(`kind` = 'task' AND `status` = 'cancelled'), sum(`started_at` IS NOT NULL),
  sum(coalesce(max(0, `finished_at` - `started_at`), 0)), sum(`usage` IS NOT NULL),
  sum(coalesce(json_extract(`usage`, '$.inputTokens'), 0)), sum(coalesce(json_extract(`usage`, '$.cachedInputTokens'), 0)),
  sum(coalesce(json_extract(`usage`, '$.outputTokens'), 0))
FROM `tasks` WHERE `status` IN ('completed', 'failed', 'cancelled') AND `finished_at` IS NOT NULL GROUP BY 1, 2, 3
ON CONFLICT (`workspace_id`, `day`, `surface`) DO UPDATE SET `tasks_completed` = excluded.`tasks_completed`,
  `tasks_failed` = excluded.`tasks_failed`, `tasks_cancelled` = excluded.`tasks_cancelled`,
  `runs_finished` = excluded.`runs_finished`, `run_duration_ms` = excluded.`run_duration_ms`,
  `runs_with_usage` = excluded.`runs_with_usage`, `input_tokens` = excluded.`input_tokens`,
  `cached_input_tokens` = excluded.`cached_input_tokens`, `output_tokens` = excluded.`output_tokens`;
--> statement-breakpoint
INSERT INTO `analytics_workspace_daily` (`workspace_id`, `day`, `cloud_users`)
SELECT `workspace_id`, `created_at` / 86400000, count(DISTINCT `requester_member_id`) FROM `tasks` WHERE true GROUP BY 1, 2;
--> statement-breakpoint
INSERT INTO `analytics_workspace_daily` (`workspace_id`, `day`, `reviews`, `automatic_reviews`, `requested_reviews`, `review_users`)
SELECT `workspace_id`, `created_at` / 86400000, count(*), sum(`trigger` NOT LIKE 'mention:%'), sum(`trigger` LIKE 'mention:%'),
  count(DISTINCT `requester_member_id`)
FROM `github_reviews` WHERE true GROUP BY 1, 2
ON CONFLICT (`workspace_id`, `day`) DO UPDATE SET `reviews` = excluded.`reviews`,
  `automatic_reviews` = excluded.`automatic_reviews`, `requested_reviews` = excluded.`requested_reviews`,
  `review_users` = excluded.`review_users`;
--> statement-breakpoint
INSERT INTO `analytics_workspace_daily` (`workspace_id`, `day`, `reviews_published`, `reviews_clean`, `reviews_failed`, `reviews_cancelled`)
SELECT `workspace_id`, `finished_at` / 86400000, sum(`status` = 'published'), sum(`status` = 'clean'), sum(`status` = 'failed'),
  sum(`status` IN ('cancelled', 'superseded'))
FROM `github_reviews` WHERE `status` <> 'pending' AND `finished_at` IS NOT NULL GROUP BY 1, 2
ON CONFLICT (`workspace_id`, `day`) DO UPDATE SET `reviews_published` = excluded.`reviews_published`,
  `reviews_clean` = excluded.`reviews_clean`, `reviews_failed` = excluded.`reviews_failed`,
  `reviews_cancelled` = excluded.`reviews_cancelled`;
--> statement-breakpoint
INSERT INTO `analytics_findings_daily` (`workspace_id`, `day`, `priority`, `findings`, `comments`)
SELECT `workspace_id`, `created_at` / 86400000, `priority`, count(*), sum(`placement` = 'inline')
FROM `github_review_findings` WHERE `placement` <> 'below_threshold' GROUP BY 1, 2, 3;
--> statement-breakpoint
UPDATE `github_review_feedback` SET `sentiment` = CASE
  WHEN `content` IN ('+1', 'heart', 'hooray', 'rocket') THEN 'positive'
  WHEN `content` IN ('-1', 'confused') THEN 'negative' ELSE 'neutral' END
WHERE `kind` = 'reaction';
--> statement-breakpoint
INSERT INTO `analytics_findings_daily` (`workspace_id`, `day`, `priority`, `reactions_positive`, `reactions_negative`,
  `reactions_neutral`, `replies_positive`, `replies_negative`, `replies_neutral`)
SELECT `workspace_id`, `created_at` / 86400000, `priority`,
  sum(`kind` = 'reaction' AND `sentiment` = 'positive'), sum(`kind` = 'reaction' AND `sentiment` = 'negative'),
  sum(`kind` = 'reaction' AND `sentiment` = 'neutral'), sum(`kind` = 'reply' AND `sentiment` = 'positive'),
  sum(`kind` = 'reply' AND `sentiment` = 'negative'), sum(`kind` = 'reply' AND `sentiment` = 'neutral')
FROM `github_review_feedback` WHERE true GROUP BY 1, 2, 3
ON CONFLICT (`workspace_id`, `day`, `priority`) DO UPDATE SET `reactions_positive` = excluded.`reactions_positive`,
  `reactions_negative` = excluded.`reactions_negative`, `reactions_neutral` = excluded.`reactions_neutral`,
  `replies_positive` = excluded.`replies_positive`, `replies_negative` = excluded.`replies_negative`,
  `replies_neutral` = excluded.`replies_neutral`;
--> statement-breakpoint
UPDATE `github_review_feedback` SET `counted` = 1;
--> statement-breakpoint
INSERT INTO `analytics_member_daily` (`workspace_id`, `day`, `member_id`, `messages`)
SELECT `workspace_id`, `created_at` / 86400000, `requester_member_id`, count(*) FROM `tasks` WHERE true GROUP BY 1, 2, 3;
--> statement-breakpoint
INSERT INTO `analytics_member_daily` (`workspace_id`, `day`, `member_id`, `sessions`)
SELECT `workspace_id`, `first` / 86400000, `member`, count(*) FROM (
  SELECT `workspace_id`, `requester_member_id` AS `member`, min(`created_at`) AS `first` FROM `tasks`
  GROUP BY `workspace_id`, `requester_member_id`, coalesce(CASE coalesce(json_extract(origin, '$.surface'), 'api') WHEN 'slack' THEN 'slack:' || json_extract(origin, '$.teamId') || ':' || json_extract(origin, '$.channel') || ':' || json_extract(origin, '$.threadTs') WHEN 'github' THEN 'github:' || lower(json_extract(origin, '$.repository')) || '#' || json_extract(origin, '$.prNumber') WHEN 'linear' THEN 'linear:' || coalesce(json_extract(origin, '$.agentSessionId'), json_extract(origin, '$.issueId'), json_extract(origin, '$.commentId'), id) ELSE 'api:' || id END, 'api:' || id)
) WHERE true GROUP BY 1, 2, 3
ON CONFLICT (`workspace_id`, `day`, `member_id`) DO UPDATE SET `sessions` = excluded.`sessions`;
