"""OOAPI v5 (Open Education API) in and out: mapping, import, export and the read endpoints under /ooapi/v5/.

Our own models are written from the specification (../shared/specs/ooapi-v5, never copied here):
an `Offering` is an OOAPI course, a `Run` an OOAPI course offering, a provider an organization and an
mbo qualification (crebo) an education specification. What OOAPI lacks travels in `ext.wendbaar`
(see docs/catalogue.md).
"""
