// Package budget spends upstream API allowances on what agents and reps
// need, not on what they merely ask for: a per-user, per-panel cooldown
// on forced refreshes, and a reserve past which optional calls (forced
// refreshes, background revalidation of a still-usable answer) are not
// made, so an org's last calls of the day go to lookups nobody has yet.
package budget
