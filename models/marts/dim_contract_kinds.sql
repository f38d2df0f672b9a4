{#- The contract_kind code list (seeds/contract_kinds.csv) with its labels:
    reports and the tests' code checks read it. -#}
{{ code_list_dim('contract_kinds', 'contract_kind') }}
