export {
  type AccessDecision,
  type AccessRefusal,
  type AccessSettings,
  checkAccess,
  type KeyCodes,
  type KeyTechnology,
  userGroupProblems,
} from "./access.js";
export { packText, unpackText } from "./audit-text.js";
export { BlackList, BlackListFull, type BlackListMode } from "./black-list.js";
export { MemoryStorage, PowerCut, type Storage } from "./storage.js";
