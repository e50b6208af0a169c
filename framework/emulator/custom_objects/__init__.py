"""Custom object types: the metadata API under /rest/v1/customobjects/schema, as Adobe documents it.

https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects

The emulator's second kind of schema, kept apart from custom activity types: its own model
(`model`), request checks (`rules`), link targets (`linking`), lifecycle (`schema`), field calls
(`fields`), the endpoints (`endpoints`) and the test hooks under /_emulator/ (`introspection`).
Every choice Adobe leaves open is in BEHAVIOUR.md, section "Custom object types".
"""
