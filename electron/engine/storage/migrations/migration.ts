export interface Migration {
  /** Numbered from 1 without gaps; the database's `user_version` is the last one applied. */
  version: number;
  name: string;
  /** SQL run, with the version bump, in the one transaction of all the migrations an upgrade applies: they apply whole or not at all. */
  up: string;
}
