import { createServer } from "node:net";

/** A TCP port on 127.0.0.1 that nothing listens on now (the OS's pick, released at once). */
export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once("error", reject);
    server.listen(0, "127.0.0.1", () => {
      const address = server.address();
      if (typeof address !== "object" || address === null) {
        server.close(() => reject(new Error("the loopback listener has no port")));
        return;
      }
      server.close(() => resolve(address.port));
    });
  });
}
