"""Pages of access, a module per topic: `portal` (residents' sign-in by household code and the
portal home), `codes` (household-code sheets and the logged phone reveal), `administration`
(people, organisations, assignments and onboarding under /workbench/admin/).

`urls` mounts the staff pages under /workbench/, `portal_urls` the residents' portal under
/portal/."""
