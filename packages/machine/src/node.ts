export {
  type DriveOptions,
  Driver,
  type DriverEvents,
  type Progress,
  runToEnd,
  type UnitCodec,
} from "./driver.js";
export { acceptLink, closeLink, type LinkSpec, openLink, setLineRate } from "./link.js";
