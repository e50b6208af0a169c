"""Custom object types: what a person *has* (a car, a subscription), managed as code.

Adobe's guide: https://experienceleague.adobe.com/en/docs/marketo-developer/marketo/rest/lead-database/custom-objects
"""
