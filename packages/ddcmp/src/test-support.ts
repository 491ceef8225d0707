import { type DateTime, localDateTime } from "./application.js";

/** The wall clock the tests' collectors put in WHO ARE YOU: a fixed instant, so runs repeat. */
export const CLOCK = (): DateTime => localDateTime(new Date(2026, 10, 30, 9, 0, 0));
