"""Policy: how risky each difference is, and which plans are refused. Pure: data in, data out.

The pipeline keeps the question of *what differs* apart from *whether that is allowed*:

    differ (per kind)    two versions in, `Difference` values out: facts, no judgement
    policy (shared)      each `Difference` graded under its kind's `RuleBook` (data), for the
                         type's standing on the instance; refusals as `Refusal` values

lint grades a definition's edit, plan grades the edit of the live instance, apply re-derives
the plan and checks its allowances: all three call `grade` and the refusal checks here, so
"is this change breaking?" has one answer. A second kind of schema (custom objects) brings its
own differ and `RuleBook` from its own folder; this package stays one.

model      Standing, Difference, Rule, RuleBook, Refusal (the vocabulary)
grade      a difference's risk under a rule book, and the worst of several
refusals   refusals as data: protect and destructive changes not allowed (any change), and
           the custom activity types' limits and name namespace (another kind brings its own
           limits beside its rule book)
"""
