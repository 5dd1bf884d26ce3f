//! Dictionaries, record types J1-J5 and validation rules of the Shenzhen police-insurance platform.
