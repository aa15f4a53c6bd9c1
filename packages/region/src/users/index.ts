export { hashPassword, verifyPassword } from './passwords.js';
export {
  findUserByUsername,
  getUserByUsername,
  hasAdmin,
  insertUser,
  listUsers,
  validateNewUser,
  type NewUser,
  type UserRow,
} from './users-repository.js';
export { createAdmin, type AdminDetails } from './create-admin.js';
export { userJson } from './users-handlers.js';
export { usersModule } from './users-module.js';
