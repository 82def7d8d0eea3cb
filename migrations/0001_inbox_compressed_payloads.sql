-- Payloads become compressed blobs. Rows already stored keep their body as UTF-8 bytes, marked 'utf-8'.
PRAGMA foreign_keys=OFF;--> statement-breakpoint
CREATE TABLE `__new_inbox` (
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
	`payload` blob,
	`payload_encoding` text,
	`normalized` text,
	`outcome` text
);
--> statement-breakpoint
INSERT INTO `__new_inbox`("id", "platform", "delivery_key", "event_type", "status", "received_at", "available_at", "lease_until", "attempts", "last_error", "processed_at", "payload", "payload_encoding", "normalized", "outcome") SELECT "id", "platform", "delivery_key", "event_type", "status", "received_at", "available_at", "lease_until", "attempts", "last_error", "processed_at", CAST("payload" AS BLOB), CASE WHEN "payload" IS NULL THEN NULL ELSE 'utf-8' END, "normalized", "outcome" FROM `inbox`;--> statement-breakpoint
DROP TABLE `inbox`;--> statement-breakpoint
ALTER TABLE `__new_inbox` RENAME TO `inbox`;--> statement-breakpoint
PRAGMA foreign_keys=ON;--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_platform_delivery_key` ON `inbox` (`platform`,`delivery_key`);--> statement-breakpoint
CREATE INDEX `inbox_claim` ON `inbox` (`status`,`available_at`);--> statement-breakpoint
CREATE INDEX `inbox_received_at` ON `inbox` (`received_at`);