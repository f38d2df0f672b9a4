{#- The trajectory_type code list (seeds/trajectory_types.csv) with its labels:
    reports and the tests' code checks read it. -#}
{{ code_list_dim('trajectory_types', 'trajectory_type') }}
