import { homedir } from 'node:os';
import { mkdir, readFile } from 'node:fs/promises';
import { dirname, join } from 'node:path';
import { AppError } from '@kiln/node-kit';
import { writeFileAtomic } from './atomic-write.js';
import {
  emptyProfilesFile,
  profilesFileSchema,
  type Profile,
  type ProfilesFile,
} from './profile-schema.js';

type Env = Readonly<Record<string, string | undefined>>;

/** `$KILN_PROFILES_FILE`, else `$XDG_CONFIG_HOME/kiln/profiles.json`, else `~/.config/kiln/...`. */
export function profilesFilePath(env: Env): string {
  const explicit = env.KILN_PROFILES_FILE;
  if (explicit !== undefined && explicit.length > 0) return explicit;
  const configHome = env.XDG_CONFIG_HOME;
  const base =
    configHome !== undefined && configHome.length > 0
      ? configHome
      : join(env.HOME !== undefined && env.HOME.length > 0 ? env.HOME : homedir(), '.config');
  return join(base, 'kiln', 'profiles.json');
}

/** The profiles file holds API secrets: only its owner may read it. */
const FILE_MODE = 0o600;
const DIRECTORY_MODE = 0o700;

export class ProfileStore {
  constructor(readonly path: string) {}

  async load(): Promise<ProfilesFile> {
    let text: string;
    try {
      text = await readFile(this.path, 'utf8');
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ENOENT') return emptyProfilesFile();
      throw new AppError('CLI_PROFILES_UNREADABLE', `Cannot read profiles file ${this.path}.`, {
        cause: error,
      });
    }
    let json: unknown;
    try {
      json = JSON.parse(text);
    } catch (cause) {
      throw invalid(this.path, 'it is not valid JSON', cause);
    }
    const parsed = profilesFileSchema.safeParse(json);
    if (!parsed.success) {
      const issue = parsed.error.issues[0];
      const where =
        issue === undefined ? '' : `${issue.path.join('.') || '(root)'}: ${issue.message}`;
      throw invalid(this.path, where, parsed.error);
    }
    return parsed.data;
  }

  async save(file: ProfilesFile): Promise<void> {
    await mkdir(dirname(this.path), { recursive: true, mode: DIRECTORY_MODE });
    await writeFileAtomic(this.path, `${JSON.stringify(file, null, 2)}\n`, FILE_MODE);
  }

  async get(name: string): Promise<Profile | undefined> {
    const file = await this.load();
    return Object.hasOwn(file.profiles, name) ? file.profiles[name] : undefined;
  }

  async put(profile: Profile): Promise<void> {
    const file = await this.load();
    file.profiles[profile.name] = profile;
    await this.save(file);
  }

  /** Returns false when there was no such profile. */
  async remove(name: string): Promise<boolean> {
    const file = await this.load();
    if (!Object.hasOwn(file.profiles, name)) return false;
    const { [name]: _removed, ...rest } = file.profiles;
    await this.save({ ...file, profiles: rest });
    return true;
  }
}

function invalid(path: string, reason: string, cause: unknown): AppError {
  return new AppError(
    'CLI_PROFILES_INVALID',
    `Profiles file ${path} is invalid (${reason}); fix it or remove it and log in again.`,
    { cause },
  );
}
