ALTER TABLE `environments` ADD `default_mode` text DEFAULT 'code' NOT NULL;--> statement-breakpoint
ALTER TABLE `tasks` ADD `mode` text DEFAULT 'code' NOT NULL;