// The SCIM schemas of the resources the hub serves (RFC 7643 §7, https://www.rfc-editor.org/rfc/rfc7643#section-7),
// as /Schemas returns them: only the attributes the hub keeps, so an identity provider that reads them
// (Entra's provisioning, Okta's app wizard) maps nothing the hub would drop. The hub uses no extension
// (the enterprise User attributes are accepted in requests and ignored).

export const USER_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:User";
export const GROUP_SCHEMA = "urn:ietf:params:scim:schemas:core:2.0:Group";

type AttributeType = "string" | "boolean" | "reference" | "complex" | "dateTime";

interface Attribute {
  name: string;
  type: AttributeType;
  multiValued: boolean;
  description: string;
  required: boolean;
  caseExact: boolean;
  mutability: "readOnly" | "readWrite" | "immutable" | "writeOnly";
  returned: "always" | "never" | "default" | "request";
  uniqueness: "none" | "server" | "global";
  subAttributes?: Attribute[];
  referenceTypes?: string[];
  canonicalValues?: string[];
}

/** One attribute with RFC 7643 §2.2's defaults (optional, case-insensitive, read-write, returned by default). */
const attribute = (
  name: string,
  type: AttributeType,
  description: string,
  more: Partial<Attribute> = {},
): Attribute => ({
  name,
  type,
  multiValued: false,
  description,
  required: false,
  caseExact: false,
  mutability: "readWrite",
  returned: "default",
  uniqueness: "none",
  ...more,
});

const userAttributes: Attribute[] = [
  attribute("userName", "string", "The member's email: how Slack and Linear users are matched to them.", {
    required: true,
    uniqueness: "server",
  }),
  attribute("name", "complex", "The member's name.", {
    subAttributes: [
      attribute("formatted", "string", "The full name (kept as displayName when none is given)."),
      attribute("familyName", "string", "The family name."),
      attribute("givenName", "string", "The given name."),
    ],
  }),
  attribute("displayName", "string", "The name shown for the member."),
  attribute("active", "boolean", "false deactivates the member: every access ends at once."),
  attribute("emails", "complex", "The member's email (the same as userName).", {
    multiValued: true,
    subAttributes: [
      attribute("value", "string", "The email."),
      attribute("type", "string", "Always work.", { canonicalValues: ["work"] }),
      attribute("primary", "boolean", "Always true."),
    ],
  }),
  attribute("groups", "complex", "The groups the member is in; changed through the Groups.", {
    multiValued: true,
    mutability: "readOnly",
    subAttributes: [
      attribute("value", "string", "The group's id.", { mutability: "readOnly" }),
      attribute("$ref", "reference", "The group's URI.", {
        mutability: "readOnly",
        referenceTypes: ["Group"],
      }),
    ],
  }),
];

const groupAttributes: Attribute[] = [
  attribute("displayName", "string", "The group's name; roles and managed policies are assigned to it.", {
    required: true,
  }),
  attribute("members", "complex", "The members of the group (users only).", {
    multiValued: true,
    subAttributes: [
      attribute("value", "string", "The member's id.", { mutability: "immutable" }),
      attribute("$ref", "reference", "The member's URI.", {
        mutability: "immutable",
        referenceTypes: ["User"],
      }),
      attribute("type", "string", "Always User.", { mutability: "immutable", canonicalValues: ["User"] }),
    ],
  }),
];

/** The schemas the hub serves, in the order /Schemas lists them. */
export const scimSchemas = [
  { id: USER_SCHEMA, name: "User", description: "A member of the workspace", attributes: userAttributes },
  { id: GROUP_SCHEMA, name: "Group", description: "A group of the workspace", attributes: groupAttributes },
];

/** The resource types (RFC 7643 §6), in the order /ResourceTypes lists them. */
export const scimResourceTypes = [
  { id: "User", name: "User", endpoint: "/Users", description: "Workspace members", schema: USER_SCHEMA },
  { id: "Group", name: "Group", endpoint: "/Groups", description: "Workspace groups", schema: GROUP_SCHEMA },
];
