"""Activity records: typed models, validation, and a sender that never loses or doubles one.

values     one check per Marketo data type (Adobe's field types)
schema     RecordSchema: what a record of one type holds, checked fast
source     record files (JSON Lines, CSV) read one line at a time
codegen    the typed Python module and the JSON Schema of each record type
"""
