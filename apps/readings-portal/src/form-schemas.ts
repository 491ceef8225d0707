import { Type } from "typebox";

// The building blocks of the portal's form schemas: every form is text fields plus its CSRF token,
// and nothing else (an unknown field is refused, not dropped).
export const text = (maxLength = 200) => Type.String({ maxLength });
export const optionalText = (maxLength = 200) => Type.Optional(text(maxLength));
export const form = <P extends Parameters<typeof Type.Object>[0]>(properties: P) =>
  Type.Object({ csrf: Type.Optional(text(400)), ...properties }, { additionalProperties: false });
/** A form that carries nothing but its token (a button). */
export const Empty = form({});
