-- The schema as the last AutoMigrate release (schema "2026-11-30.member-state")
-- left a fresh SQLite database: every table, index and trigger, in the order
-- it made them. A database that release wrote is at this version already
-- (db.Migrate marks it so); a new one starts here.

-- +goose Up
CREATE TABLE `settings` (`key` text,`value` blob NOT NULL,PRIMARY KEY (`key`));
CREATE TABLE `user_pools` (`id` text,`name` text NOT NULL,`secret_hash` blob NOT NULL,`is_default` numeric NOT NULL DEFAULT false,`secret_generation` integer NOT NULL DEFAULT 0,`created_at` datetime NOT NULL,PRIMARY KEY (`id`));
CREATE TABLE `api_keys` (`id` text,`pool_id` text NOT NULL,`name` text NOT NULL,`scopes` text NOT NULL,`secret_hash` blob NOT NULL,`created_at` datetime NOT NULL,`expires_at` datetime,`last_used_at` datetime,`revoked_at` datetime,PRIMARY KEY (`id`),CONSTRAINT `fk_api_keys_pool` FOREIGN KEY (`pool_id`) REFERENCES `user_pools`(`id`) ON DELETE CASCADE);
CREATE UNIQUE INDEX `ux_api_keys_name` ON `api_keys`(`pool_id`,`name`);
CREATE TABLE `users` (`id` text,`pool_id` text NOT NULL,`username` text,`email` text,`email_verified` numeric NOT NULL DEFAULT false,`phone` text,`phone_country_code` text,`phone_verified` numeric NOT NULL DEFAULT false,`external_id` text,`unionid` text,`openid` text,`name` text,`nickname` text,`given_name` text,`family_name` text,`middle_name` text,`preferred_username` text,`profile` text,`photo` text,`website` text,`gender` text NOT NULL DEFAULT "U",`birthdate` text,`zoneinfo` text,`locale` text,`address` text,`formatted` text,`street_address` text,`locality` text,`region` text,`postal_code` text,`city` text,`province` text,`country` text,`company` text,`identity_number` text,`browser` text,`device` text,`register_source` text,`user_source_type` text NOT NULL DEFAULT "adminCreated",`logins_count` integer NOT NULL DEFAULT 0,`last_login` datetime,`last_ip` text,`signed_up` datetime,`status` text NOT NULL DEFAULT "Activated",`status_changed_at` datetime,`hidden` numeric NOT NULL DEFAULT false,`token_expired_at` datetime,`token_generation` integer NOT NULL DEFAULT 0,`password_hash` text,`password_last_set_at` datetime,`reset_password_on_next_login` numeric NOT NULL DEFAULT false,`created_at` datetime NOT NULL,`updated_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_users_pool` FOREIGN KEY (`pool_id`) REFERENCES `user_pools`(`id`) ON DELETE CASCADE);
CREATE UNIQUE INDEX `ux_users_external_id` ON `users`(`pool_id`,`external_id`);
CREATE UNIQUE INDEX `ux_users_phone` ON `users`(`pool_id`,`phone`);
CREATE UNIQUE INDEX `ux_users_email` ON `users`(`pool_id`,`email`);
CREATE UNIQUE INDEX `ux_users_username` ON `users`(`pool_id`,`username`);
CREATE TABLE `identities` (`id` text,`pool_id` text NOT NULL,`user_id` text NOT NULL,`provider` text NOT NULL,`type` text NOT NULL,`user_id_in_idp` text NOT NULL,`ext_idp_id` text,`created_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_identities_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_identities_user` ON `identities`(`user_id`);
CREATE INDEX `ix_identities_provider` ON `identities`(`pool_id`,`provider`);
CREATE UNIQUE INDEX `ux_identities_idp` ON `identities`(`pool_id`,`provider`,`user_id_in_idp`);
CREATE TABLE `groups` (`id` text,`pool_id` text NOT NULL,`code` text NOT NULL,`name` text,`description` text,`parent_id` text,`created_at` datetime NOT NULL,`updated_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_groups_pool` FOREIGN KEY (`pool_id`) REFERENCES `user_pools`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_groups_parent` ON `groups`(`parent_id`);
CREATE INDEX `ix_groups_created` ON `groups`(`pool_id`,`created_at`);
CREATE UNIQUE INDEX `ux_groups_code` ON `groups`(`pool_id`,`code`);
CREATE TABLE `group_members` (`group_id` text,`user_id` text,`pool_id` text NOT NULL,`created_at` datetime NOT NULL,`user_status` text NOT NULL DEFAULT "Activated",`user_hidden` numeric NOT NULL DEFAULT false,PRIMARY KEY (`group_id`,`user_id`),CONSTRAINT `fk_group_members_group` FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_group_members_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_group_members_state` ON `group_members`(`group_id`,`user_status`,`user_hidden`,`user_id`);
CREATE INDEX `ix_group_members_user` ON `group_members`(`user_id`,`pool_id`,`group_id`);
CREATE INDEX `ix_group_members_order` ON `group_members`(`group_id`,`created_at`,`user_id`);
CREATE TABLE `namespaces` (`id` text,`pool_id` text NOT NULL,`code` text NOT NULL,`name` text,`description` text,`created_at` datetime NOT NULL,`updated_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_namespaces_pool` FOREIGN KEY (`pool_id`) REFERENCES `user_pools`(`id`) ON DELETE CASCADE);
CREATE UNIQUE INDEX `ux_namespaces_code` ON `namespaces`(`pool_id`,`code`);
CREATE TABLE `roles` (`id` text,`pool_id` text NOT NULL,`namespace_id` text NOT NULL,`namespace` text NOT NULL,`code` text NOT NULL,`description` text,`created_at` datetime NOT NULL,`updated_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_roles_ns` FOREIGN KEY (`namespace_id`) REFERENCES `namespaces`(`id`) ON DELETE CASCADE);
CREATE INDEX `idx_roles_namespace_id` ON `roles`(`namespace_id`);
CREATE UNIQUE INDEX `ux_roles_code` ON `roles`(`pool_id`,`namespace`,`code`);
CREATE TABLE `role_members` (`role_id` text,`user_id` text,`pool_id` text NOT NULL,`created_at` datetime NOT NULL,PRIMARY KEY (`role_id`,`user_id`),CONSTRAINT `fk_role_members_role` FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_role_members_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_role_members_user` ON `role_members`(`user_id`,`pool_id`,`role_id`);
CREATE INDEX `ix_role_members_order` ON `role_members`(`role_id`,`created_at`,`user_id`);
CREATE TABLE `group_roles` (`group_id` text,`role_id` text,`pool_id` text NOT NULL,`created_at` datetime NOT NULL,PRIMARY KEY (`group_id`,`role_id`),CONSTRAINT `fk_group_roles_group` FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_group_roles_role` FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_group_roles_pool` ON `group_roles`(`pool_id`);
CREATE INDEX `idx_group_roles_role_id` ON `group_roles`(`role_id`);
CREATE TABLE `group_closures` (`ancestor_id` text,`descendant_id` text,`pool_id` text NOT NULL,`depth` integer NOT NULL,PRIMARY KEY (`ancestor_id`,`descendant_id`),CONSTRAINT `fk_group_closures_ancestor` FOREIGN KEY (`ancestor_id`) REFERENCES `groups`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_group_closures_descendant` FOREIGN KEY (`descendant_id`) REFERENCES `groups`(`id`) ON DELETE CASCADE);
CREATE INDEX `idx_group_closures_descendant_id` ON `group_closures`(`descendant_id`);
CREATE TABLE `udf_definitions` (`id` text,`pool_id` text NOT NULL,`target_type` text NOT NULL,`key` text NOT NULL,`data_type` text NOT NULL,`label` text,`description` text,`created_at` datetime NOT NULL,`updated_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_udf_definitions_pool` FOREIGN KEY (`pool_id`) REFERENCES `user_pools`(`id`) ON DELETE CASCADE);
CREATE UNIQUE INDEX `ux_udf_key` ON `udf_definitions`(`pool_id`,`target_type`,`key`);
CREATE TABLE `user_udf_values` (`user_id` text,`definition_id` text,`pool_id` text NOT NULL,`string_value` text,`number_value` real,`bool_value` numeric,`time_value` datetime,`object_value` text,PRIMARY KEY (`user_id`,`definition_id`),CONSTRAINT `fk_user_udf_values_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_user_udf_values_definition` FOREIGN KEY (`definition_id`) REFERENCES `udf_definitions`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_udf_bool` ON `user_udf_values`(`definition_id`,`bool_value`);
CREATE INDEX `ix_udf_time` ON `user_udf_values`(`definition_id`,`time_value`);
CREATE INDEX `ix_udf_number` ON `user_udf_values`(`definition_id`,`number_value`);
CREATE INDEX `ix_udf_string` ON `user_udf_values`(`definition_id`,`string_value`);
CREATE TABLE `group_udf_values` (`group_id` text,`definition_id` text,`pool_id` text NOT NULL,`string_value` text,`number_value` real,`bool_value` numeric,`time_value` datetime,`object_value` text,PRIMARY KEY (`group_id`,`definition_id`),CONSTRAINT `fk_group_udf_values_group` FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_group_udf_values_definition` FOREIGN KEY (`definition_id`) REFERENCES `udf_definitions`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_group_udf_bool` ON `group_udf_values`(`definition_id`,`bool_value`);
CREATE INDEX `ix_group_udf_time` ON `group_udf_values`(`definition_id`,`time_value`);
CREATE INDEX `ix_group_udf_number` ON `group_udf_values`(`definition_id`,`number_value`);
CREATE INDEX `ix_group_udf_string` ON `group_udf_values`(`definition_id`,`string_value`);
CREATE TABLE `role_udf_values` (`role_id` text,`definition_id` text,`pool_id` text NOT NULL,`string_value` text,`number_value` real,`bool_value` numeric,`time_value` datetime,`object_value` text,PRIMARY KEY (`role_id`,`definition_id`),CONSTRAINT `fk_role_udf_values_role` FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_role_udf_values_definition` FOREIGN KEY (`definition_id`) REFERENCES `udf_definitions`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_role_udf_bool` ON `role_udf_values`(`definition_id`,`bool_value`);
CREATE INDEX `ix_role_udf_time` ON `role_udf_values`(`definition_id`,`time_value`);
CREATE INDEX `ix_role_udf_number` ON `role_udf_values`(`definition_id`,`number_value`);
CREATE INDEX `ix_role_udf_string` ON `role_udf_values`(`definition_id`,`string_value`);
CREATE TABLE `resources` (`id` text,`pool_id` text NOT NULL,`namespace_id` text NOT NULL,`namespace` text NOT NULL,`code` text NOT NULL,`type` text NOT NULL,`description` text,`actions` text,`created_at` datetime NOT NULL,`updated_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_resources_ns` FOREIGN KEY (`namespace_id`) REFERENCES `namespaces`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_resources_list` ON `resources`(`pool_id`,`namespace_id`,`type`,`created_at`);
CREATE UNIQUE INDEX `ux_resources_code` ON `resources`(`pool_id`,`namespace_id`,`code`);
CREATE TABLE `grants` (`id` text,`pool_id` text NOT NULL,`resource_id` text NOT NULL,`resource_code` text NOT NULL,`resource_type` text NOT NULL,`namespace` text NOT NULL,`target_type` text NOT NULL,`user_id` text,`role_id` text,`group_id` text,`target_key` text NOT NULL,`actions` text,`created_at` datetime NOT NULL,`updated_at` datetime NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_grants_resource` FOREIGN KEY (`resource_id`) REFERENCES `resources`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_grants_user` FOREIGN KEY (`user_id`) REFERENCES `users`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_grants_role` FOREIGN KEY (`role_id`) REFERENCES `roles`(`id`) ON DELETE CASCADE,CONSTRAINT `fk_grants_group` FOREIGN KEY (`group_id`) REFERENCES `groups`(`id`) ON DELETE CASCADE);
CREATE INDEX `idx_grants_group_id` ON `grants`(`group_id`);
CREATE INDEX `idx_grants_role_id` ON `grants`(`role_id`);
CREATE INDEX `idx_grants_user_id` ON `grants`(`user_id`);
CREATE UNIQUE INDEX `ux_grants` ON `grants`(`resource_id`,`resource_code`,`target_key`);
CREATE TABLE `audit_records` (`id` text,`pool_id` text NOT NULL,`at` datetime NOT NULL,`actor_type` text NOT NULL,`actor_id` text NOT NULL,`actor_name` text NOT NULL,`operation` text NOT NULL,`object_type` text NOT NULL,`object_id` text NOT NULL,`changes` text NOT NULL,PRIMARY KEY (`id`),CONSTRAINT `fk_audit_records_pool` FOREIGN KEY (`pool_id`) REFERENCES `user_pools`(`id`) ON DELETE CASCADE);
CREATE INDEX `ix_audit_at` ON `audit_records`(`at`);
CREATE INDEX `ix_audit_operation` ON `audit_records`(`pool_id`,`operation`,`at`);
CREATE INDEX `ix_audit_type` ON `audit_records`(`pool_id`,`object_type`,`at`);
CREATE INDEX `ix_audit_object` ON `audit_records`(`pool_id`,`object_id`,`at`);
CREATE INDEX `ix_audit_actor` ON `audit_records`(`pool_id`,`actor_id`,`at`);
CREATE INDEX `ix_audit_pool` ON `audit_records`(`pool_id`,`at`);
CREATE INDEX ix_users_by_created ON users (pool_id, created_at, id, status);
CREATE INDEX ix_users_by_updated ON users (pool_id, updated_at, id, status);
CREATE INDEX ix_users_by_last_login ON users (pool_id, last_login, id, status);
CREATE INDEX ix_users_by_username ON users (pool_id, username, id, status);
CREATE INDEX ix_users_status_created ON users (pool_id, status, created_at, id);
CREATE INDEX ix_users_hidden_created ON users (pool_id, hidden, created_at, id);
CREATE INDEX ix_users_email_verified_created ON users (pool_id, email_verified, created_at, id);
CREATE INDEX ix_users_phone_verified_created ON users (pool_id, phone_verified, created_at, id);
CREATE INDEX ix_users_signed_up ON users (pool_id, signed_up);
CREATE TABLE listing_versions (pool_id TEXT PRIMARY KEY, version INTEGER NOT NULL) WITHOUT ROWID;
-- +goose StatementBegin
CREATE TRIGGER users_listing_delete AFTER DELETE ON users BEGIN
			INSERT INTO listing_versions (pool_id, version) VALUES (OLD.pool_id, 1)
				ON CONFLICT (pool_id) DO UPDATE SET version = version + 1;
		END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_listing_update AFTER UPDATE OF status, created_at, id, pool_id ON users WHEN OLD.status IS NOT NEW.status OR OLD.created_at IS NOT NEW.created_at OR OLD.id IS NOT NEW.id OR OLD.pool_id IS NOT NEW.pool_id BEGIN
			INSERT INTO listing_versions (pool_id, version) VALUES (OLD.pool_id, 1)
				ON CONFLICT (pool_id) DO UPDATE SET version = version + 1;
		END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_listing_update_to AFTER UPDATE OF pool_id ON users WHEN OLD.pool_id IS NOT NEW.pool_id BEGIN
			INSERT INTO listing_versions (pool_id, version) VALUES (NEW.pool_id, 1)
				ON CONFLICT (pool_id) DO UPDATE SET version = version + 1;
		END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER group_members_user_state AFTER INSERT ON group_members BEGIN
		UPDATE group_members SET user_status = u.status, user_hidden = u.hidden FROM users u
			WHERE u.id = NEW.user_id AND group_members.group_id = NEW.group_id AND group_members.user_id = NEW.user_id;
	END;
-- +goose StatementEnd
-- +goose StatementBegin
CREATE TRIGGER users_member_state AFTER UPDATE OF status, hidden ON users
		WHEN OLD.status IS NOT NEW.status OR OLD.hidden IS NOT NEW.hidden BEGIN
		UPDATE group_members SET user_status = NEW.status, user_hidden = NEW.hidden WHERE user_id = NEW.id;
	END;
-- +goose StatementEnd
