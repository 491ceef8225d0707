import { describe, expect, it } from "vitest";
import { inWords } from "./words.js";

describe("configuration paths in a technician's words", () => {
  it("says every path of a configuration in words", () => {
    expect(inWords("limits.levels[3].perCategory[7]")).toBe("the key level 3 limit of category H");
    expect(inWords("loyalty.pricePoints[99]")).toBe("the loyalty price in points of line 100");
    expect(inWords("outOfService.bands[2].end")).toBe("the out-of-service band 3 end");
    expect(inWords("conversion.numbers[1]")).toBe("the selection number of line 2");
  });
});
