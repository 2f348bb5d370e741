// High intent: a driver who is insured today (so shopping to switch, the leads buyers pay most for), old enough to
// have a driving record, with a vehicle recent enough to be worth a full policy.
//
// Use it wherever a rule stands: { rule: high-intent }. It reads the auto-insurance flow's fields; a lead that did
// not send one of them is not high intent.
const age = lead.dob?.age;
if (age === undefined || age < 25) return false;

if (lead.insured != true) return false;

return lead.vehicle_year >= 2015;
