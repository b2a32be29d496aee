export interface Migration {
  /** Numbered from 1 without gaps; the database's `user_version` is the last one applied. */
  version: number;
  name: string;
  /** SQL run inside one transaction with the version bump, so a migration applies whole or not at all. */
  up: string;
}
