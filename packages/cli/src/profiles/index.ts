export { ProfileStore, profilesFilePath } from './profile-store.js';
export { writeFileAtomic } from './atomic-write.js';
export { emptyProfilesFile, type Profile, type ProfilesFile } from './profile-schema.js';
