"""The stakeholder expert session block (`asn_expert_session`): recorded or live sessions by
academics, practitioners and civil-society organisations, with transcripts and watched-time
completion. The pure modules (transcripts, live, watching) never touch the runtime or do I/O."""
