DROP INDEX `tasks_claim`;--> statement-breakpoint
CREATE INDEX `tasks_claim` ON `tasks` (`status`,`created_at`,`available_at`);