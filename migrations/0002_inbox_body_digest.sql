-- A second dedupe key: the SHA-256 of the signed body (GitHub, Linear). Rows already stored have none.
ALTER TABLE `inbox` ADD `body_digest` text;--> statement-breakpoint
CREATE UNIQUE INDEX `inbox_platform_body_digest` ON `inbox` (`platform`,`body_digest`);