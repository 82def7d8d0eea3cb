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
CREATE TABLE `sandbox_outbound` (
	`id` text PRIMARY KEY NOT NULL,
	`platform` text NOT NULL,
	`operation` text NOT NULL,
	`request` text NOT NULL,
	`created_at` integer NOT NULL
);
--> statement-breakpoint
CREATE INDEX `sandbox_outbound_created_at` ON `sandbox_outbound` (`created_at`);