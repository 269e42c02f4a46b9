"""Every scope an API client may hold; each route declares the one it needs."""

from __future__ import annotations

SCOPES: dict[str, str] = {
    "dossiers:write": "Push dossiers and their progress.",
    "dossiers:read": "Read a dossier and how far its delivery got.",
    "documents:send": "Send, answer and recall official documents.",
    "documents:read": "Read documents, their packages and the inbox.",
    "questions:read": "Read the questions citizens sent on the national portal.",
    "questions:answer": "Answer questions citizens sent on the national portal.",
    "questions:write": "Publish the province's questions and answers on the national portal.",
    "evaluations:write": "Send citizens' evaluations of how their dossiers were handled.",
    "catalogue:read": "Read the national procedure catalogue the gateway holds.",
    "inbox:read": "Read inter-connected submissions (birth and death bundles) and attachments.",
    "inbox:write": "Take inter-connected submissions and report their handling back.",
    "citizens:lookup": "Look up and verify citizens in the population registry.",
    "citizens:lookup:family": "See a citizen's family fields.",
    "citizens:lookup:sensitive": "See a citizen's sensitive fields.",
    "businesses:lookup": "Look up businesses in the business registry.",
    "parcels:lookup": "Look up land parcels and their holders in the land registry.",
    "land:read": "Read land dossiers: the land office's statuses, requests and results.",
    "land:write": "Take land dossiers and send the land office supplements and handovers.",
    "insurance:lookup": "Look up a person's insurance record (code, card, registered hospital).",
    "insurance:lookup:contributions": "See a person's insurance contribution status.",
    "results:lookup": "Look up a citizen's earlier results and their files in the results store.",
    "audit:read": "Read the audit trail of citizen lookups.",
    "indicators:read": "Read the service-quality figures, their targets and projected scores.",
    "ops:read": "Read delivery status and metrics.",
    "ops:write": "Operate the gateway.",
}
