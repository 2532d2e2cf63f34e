package zendesktest

// Users returns copies of every stored user, by id.
func (a *Account) Users() []User {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sortedUsers()
}

// Organizations returns copies of every stored organization, by id.
func (a *Account) Organizations() []Organization {
	a.mu.Lock()
	defer a.mu.Unlock()
	return a.sortedOrgs()
}
