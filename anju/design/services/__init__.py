"""Every write of design, one module per chapter: `projects` (stage, assignments), `surveys`,
`plans` (price lists, plan versions, workshops), `notices` (notice, objections), `reviews`
(joint review, permits)."""
